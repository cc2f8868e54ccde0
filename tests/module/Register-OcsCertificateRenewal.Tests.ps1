# Registering the renewal job into folders of the test's own (cron.d and systemd
# renderers; no scheduler is told), -WhatIf, an unwritable folder, and one bounded
# test where a real cron, in a mount namespace with its own /etc/cron.d, runs the job.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force; Import-OcsTestModule
    $psd1 = (Resolve-Path (Join-Path $PSScriptRoot '../../module/OcsCertificate/OcsCertificate.psd1')).Path
    $isRoot = $IsLinux -and (& id -u) -eq '0'

    function New-TestFolder([string] $Name = 'folder') {
        $path = Join-Path ([System.IO.Path]::GetTempPath()) ("ocscert-sched-" + [guid]::NewGuid().ToString('n')) $Name
        $null = New-Item -ItemType Directory -Path $path -Force
        $path
    }
    # This pwsh as a program and its first arguments (dotnet pwsh.dll for the .NET tool).
    function Get-TestPwsh {
        $path = (Get-Process -Id $PID).Path
        @($path) + @(if ([System.IO.Path]::GetFileNameWithoutExtension($path) -eq 'dotnet') { [Environment]::GetCommandLineArgs()[0] })
    }
}

Describe 'Register-OcsCertificateRenewal' {
    BeforeEach {
        $store = New-OcsTestStore
        $folder = New-TestFolder
    }
    AfterEach {
        Remove-Item -LiteralPath $store -Recurse -Force -ErrorAction SilentlyContinue
        Remove-Item -LiteralPath (Split-Path $folder) -Recurse -Force -ErrorAction SilentlyContinue
        $env:OCSCERT_STORE = $null
    }

    Context 'cron.d' {
        It 'writes one cron.d file that runs this pwsh and this module by full path with the store, and returns the registration' {
            $r = Register-OcsCertificateRenewal -Scheduler Cron -Folder $folder -StorePath $store
            $r.PSObject.TypeNames[0] | Should -BeExactly 'OcsCertificate.RenewalRegistration'
            $r.Scheduler | Should -BeExactly 'Cron'
            $r.Name | Should -Match '^ocscert-renew-[0-9a-f]{8}$'
            $r.StorePath | Should -BeExactly $store
            $r.Activated | Should -BeFalse -Because 'a folder of ones own is written only'
            $r.Files | Should -Be @((Join-Path $folder $r.Name))
            $r.LogPath | Should -BeExactly (Join-Path $store 'logs/renewal-job.log')
            $r.Registered | Should -BeOfType [datetime]
            $r.Command[-4..-2] | Should -Be @('-NoProfile', '-NonInteractive', '-Command')
            $r.Command[-1] | Should -BeExactly "Import-Module '$psd1'; Update-OcsCertificate -StorePath '$store'; exit [int](-not `$?)"
            Test-Path -LiteralPath $r.Command[0] -PathType Leaf | Should -BeTrue -Because 'the program is a full path'

            @(Get-ChildItem -LiteralPath $folder -Force).Name | Should -Be @($r.Name)
            $text = Get-Content -Raw -LiteralPath $r.Files[0]
            $text | Should -Match '(?m)^SHELL=/bin/sh$'
            $text | Should -Match '(?m)^PATH=/'
            $text | Should -Match "(?m)^\d+ \d+,\d+ \* \* \* root sleep \`$\(\( \`$\(od -An -N2 -tu2 /dev/urandom\) \\% 3600 \)\); \{ "
            $text | Should -BeLike "*'$($r.Command[0])'*'-Command' 'Import-Module '\''$psd1'\''; Update-OcsCertificate*"
            $text | Should -BeLike "*>>'$store/logs/renewal-job.log' 2>&1`n"
        }

        It 'passes the hooks by full path, and refuses a hook that does not exist' {
            $hook = Join-Path (Split-Path $folder) "deploy hook's.sh"
            Set-Content -LiteralPath $hook '#!/bin/sh'
            Push-Location (Split-Path $folder)
            try { $r = Register-OcsCertificateRenewal -Scheduler Cron -Folder $folder -StorePath $store -DeployHook "./deploy hook's.sh" -FailureHook $hook }
            finally { Pop-Location }
            $escaped = $hook -replace "'", "''"
            $r.Command[-1] | Should -BeLike "*Update-OcsCertificate -StorePath '$store' -DeployHook '$escaped' -FailureHook '$escaped'; exit*"

            { Register-OcsCertificateRenewal -Scheduler Cron -Folder $folder -StorePath $store -FailureHook /no/such/hook } |
                Should -Throw -ErrorId 'HookNotFound,Register-OcsCertificateRenewal'
        }

        It '-Schedule sets the cron time fields and drops the random sleep; other schedulers refuse it' {
            $r = Register-OcsCertificateRenewal -Scheduler Cron -Folder $folder -StorePath $store -Schedule '*/5 * * * *'
            (Get-Content -LiteralPath $r.Files[0])[-1] | Should -BeLike '`*/5 `* `* `* `* root { *'
            $r.Schedule | Should -BeExactly "cron schedule '*/5 * * * *'"
            { Register-OcsCertificateRenewal -Scheduler Systemd -Folder $folder -StorePath $store -Schedule '* * * * *' } |
                Should -Throw -ErrorId 'ScheduleNotSupported,Register-OcsCertificateRenewal'
            { Register-OcsCertificateRenewal -Scheduler Cron -Folder $folder -StorePath $store -Schedule 'hourly' } |
                Should -Throw -ErrorId 'InvalidSchedule,Register-OcsCertificateRenewal'
        }

        It 'registering again rewrites its own file instead of refusing it' {
            $first = Register-OcsCertificateRenewal -Scheduler Cron -Folder $folder -StorePath $store
            $second = Register-OcsCertificateRenewal -Scheduler Cron -Folder $folder -StorePath $store -Schedule '* * * * *'
            $second.Files | Should -Be $first.Files
            (Get-Content -LiteralPath $second.Files[0])[-1] | Should -BeLike '`* `* `* `* `* root *'
        }
    }

    Context 'systemd' {
        It 'writes a oneshot service and a twice-daily timer that systemd-analyze verify accepts' {
            $r = Register-OcsCertificateRenewal -Scheduler Systemd -Folder $folder -StorePath $store
            $r.Files | Should -Be @((Join-Path $folder "$($r.Name).service"), (Join-Path $folder "$($r.Name).timer"))
            $service = Get-Content -Raw -LiteralPath $r.Files[0]
            $service | Should -Match '(?m)^Type=oneshot$'
            $program = $r.Command[0]
            $service | Should -BeLike "*`nExecStart=""$program"" *""-NoProfile"" ""-NonInteractive"" ""-Command"" ""Import-Module '$psd1'; Update-OcsCertificate -StorePath '$store'; exit ``[int``](-not `$`$?)""`n*"
            $timer = Get-Content -Raw -LiteralPath $r.Files[1]
            foreach ($line in 'OnCalendar=*-*-* 00,12:00:00', 'RandomizedDelaySec=43200', 'Persistent=true', 'WantedBy=timers.target') {
                $timer | Should -Match "(?m)^$([regex]::Escape($line))$"
            }
            $analyze = Get-Command systemd-analyze -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
            if (-not $analyze) { Set-ItResult -Skipped -Because 'systemd-analyze is not installed, so the units are not verified'; return }
            $output = & $analyze.Source verify --man=no $r.Files 2>&1
            $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
        }
    }

    Context '-WhatIf' {
        It 'writes nothing, and -Verbose carries the unit text' {
            $verbose = Register-OcsCertificateRenewal -Scheduler Systemd -Folder $folder -StorePath $store -WhatIf -Verbose 4>&1
            @(Get-ChildItem -LiteralPath $folder -Force) | Should -BeNullOrEmpty
            Test-Path -LiteralPath $store | Should -BeFalse -Because 'not even the store is made'
            Get-OcsCertificateRenewal -StorePath $store | Should -BeNullOrEmpty
            $text = ($verbose | ForEach-Object { "$_" }) -join "`n"
            $text | Should -BeLike "*--- $folder/ocscert-renew-*.service*Type=oneshot*ExecStart=*"
            $text | Should -BeLike '*OnCalendar=`*-`*-`* 00,12:00:00*'
        }

        It 'shows the file texts in the What if message' {
            $command = "Import-Module '$psd1'; Register-OcsCertificateRenewal -Scheduler Cron -Folder '$folder' -StorePath '$store' -WhatIf"
            $output = (Invoke-OcsTestPwsh -Command $command) -join "`n"
            $LASTEXITCODE | Should -Be 0 -Because $output
            $output | Should -BeLike '*What if: Performing the operation "Register the renewal job ocscert-renew-* with Cron*'
            $output | Should -BeLike "*SHELL=/bin/sh*root sleep*Update-OcsCertificate*"
            @(Get-ChildItem -LiteralPath $folder -Force) | Should -BeNullOrEmpty
        }
    }

    Context 'an unwritable folder' {
        It 'fails with SchedulerFolderNotWritable naming the folder, and records nothing' {
            if (-not $isRoot -or -not (Get-Command unshare -ErrorAction SilentlyContinue)) {
                Set-ItResult -Skipped -Because 'a read-only folder for root needs a read-only mount (root, unshare)'; return
            }
            # Root writes anywhere permissions allow; a read-only bind mount in a mount namespace of the child's own stops it.
            $script = Join-Path (Split-Path $folder) 'register.ps1'
            Set-Content -LiteralPath $script @"
Import-Module '$psd1'
try { Register-OcsCertificateRenewal -Scheduler Cron -Folder '$folder' -StorePath '$store' -ErrorAction Stop; 'REGISTERED' }
catch { 'ERRORID=' + `$_.FullyQualifiedErrorId; 'CATEGORY=' + `$_.CategoryInfo.Category; 'MESSAGE=' + `$_.Exception.Message }
"@
            $pwsh = Get-TestPwsh
            $output = & unshare --mount sh -c 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"' sh $folder @pwsh -NoProfile -NonInteractive -File $script 2>&1 |
                ForEach-Object { "$_" }
            $text = $output -join "`n"
            $output | Should -Contain 'ERRORID=SchedulerFolderNotWritable,Register-OcsCertificateRenewal' -Because $text
            $output | Should -Contain 'CATEGORY=WriteError'
            $text | Should -BeLike "*MESSAGE=Folder: The job's files cannot be written into '$folder' (*Read-only file system*) Run this as root*"
            @(Get-ChildItem -LiteralPath $folder -Force) | Should -BeNullOrEmpty
            Get-OcsCertificateRenewal -StorePath $store | Should -BeNullOrEmpty
        }

        It 'a folder that does not exist is named too' {
            $missing = Join-Path $folder 'missing'
            { Register-OcsCertificateRenewal -Scheduler Cron -Folder $missing -StorePath $store } |
                Should -Throw -ErrorId 'SchedulerFolderNotFound,Register-OcsCertificateRenewal' -ExpectedMessage "Folder: The folder '$missing' does not exist."
        }
    }
}

Describe 'a real cron runs the registered job' {
    # One bounded test (under three minutes): cron in the foreground, in a mount namespace where
    # /etc/cron.d is a folder of the test's own, runs the job registered there every minute.
    BeforeAll {
        $base = New-TestFolder 'cron'
        $crond = Join-Path $base 'cron.d'
        $null = New-Item -ItemType Directory $crond
        # Quotes, '%', '$' and spaces in the store path: cron, sh and pwsh must all take it literally.
        $store = Join-Path $base "store it's 100% `$HOME"
        $state = @{ Cron = $null; Ca = $null }  # set by the test, stopped here whatever happened
    }
    AfterAll {
        $cron = $state.Cron
        if ($cron) {
            # cron leads its own process group (setsid): stop the group, then anything of the job still running.
            & kill -TERM -- "-$($cron.Id)" 2>$null
            if (-not $cron.WaitForExit(5000)) { & kill -KILL -- "-$($cron.Id)" 2>$null }
            foreach ($process in Get-ChildItem /proc -Directory -ErrorAction SilentlyContinue | Where-Object Name -Match '^\d+$') {
                $commandLine = Get-Content -Raw -LiteralPath "/proc/$($process.Name)/cmdline" -ErrorAction SilentlyContinue
                if ($commandLine -and $commandLine.Contains($base)) { & kill -KILL $process.Name 2>$null }
            }
        }
        if ($state.Ca) { Stop-OcsEmbeddedCa $state.Ca }
        Remove-Item -LiteralPath (Split-Path $base) -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'runs the job from its cron.d at the next minute, and the job writes its log' {
        $missing = @('cron', 'unshare', 'setsid') | Where-Object { -not (Get-Command $_ -CommandType Application -ErrorAction SilentlyContinue) }
        if (-not $isRoot -or $missing) { Set-ItResult -Skipped -Because "this needs root and $($missing -join ', ') (apt-get install cron)"; return }

        $realJob = [bool] (Get-Command Update-OcsCertificate -Module OcsCertificate -ErrorAction SilentlyContinue)
        if (-not $realJob) {
            # MARKED: Update-OcsCertificate is not in this branch yet. Until it is, the job runs the same
            # pwsh and module by full path with the store, but a harmless command in place of the renewal.
            Mock -ModuleName OcsCertificate New-OcsRenewalJobScript {
                $quote = { param($text) "'" + [System.Management.Automation.Language.CodeGeneration]::EscapeSingleQuotedStringContent($text) + "'" }
                "Import-Module $(& $quote $ModulePath); `$job = Get-OcsCertificateRenewal -StorePath $(& $quote $StorePath); 'harmless job ran: ' + `$job.Name; exit [int](-not `$?)"
            }
        }
        if ($realJob) {
            # A certificate that lives 30 seconds, so it is due by the time cron runs the job.
            Import-Module (Join-Path $PSScriptRoot '../../examples/EmbeddedCa.psm1') -Force
            $state.Ca = Start-OcsEmbeddedCa -Folder (Join-Path $base 'pebble') -ValiditySeconds 30
            $arguments = Get-OcsTestRequestArguments
            $old = New-OcsCertificateRequest @arguments -Role FrontEnd -CA $state.Ca.CA -CaBundle $state.Ca.CaBundle -HttpListener $state.Ca.HttpListener `
                -Assign -TrustAnchorPath $state.Ca.RootPath -StorePath $store
            # Cron runs the job at the next minute, which can come before the renewal time: wait for it.
            $renewAfter = (Get-OcsCertificate -Thumbprint $old.Thumbprint -StorePath $store).RenewAfter
            Start-Sleep -Seconds ([math]::Max(0, [math]::Ceiling(($renewAfter - [datetime]::UtcNow).TotalSeconds) + 1))
        }
        $r = Register-OcsCertificateRenewal -Scheduler Cron -Folder $crond -StorePath $store -Schedule '* * * * *'

        # cron in a mount namespace of its own: our cron.d in place of the system's, and a /run of its own for
        # its pid file, so a cron the machine already runs (or another test run's) neither runs our job nor blocks this one.
        $startInfo = [System.Diagnostics.ProcessStartInfo]::new('setsid')
        foreach ($argument in 'unshare', '--mount', '--uts', 'sh', '-c', 'mount --bind "$0" /etc/cron.d && mount -t tmpfs ocscert-run /run && exec cron -f -L 15 >"$1" 2>&1', $crond, (Join-Path $base 'cron.out')) {
            $startInfo.ArgumentList.Add($argument)
        }
        $startInfo.UseShellExecute = $false
        $cron = [System.Diagnostics.Process]::Start($startInfo)
        $state.Cron = $cron

        $log = $r.LogPath
        $deadline = (Get-Date).AddSeconds(150)
        while ((Get-Date) -lt $deadline -and -not ((Test-Path -LiteralPath $log) -and (Get-Content -Raw -LiteralPath $log) -match 'renewal job ended')) {
            $cron.HasExited | Should -BeFalse -Because "cron keeps running: $(Get-Content -Raw (Join-Path $base 'cron.out') -ErrorAction SilentlyContinue)"
            Start-Sleep -Seconds 2
        }
        Unregister-OcsCertificateRenewal -StorePath $store -Confirm:$false
        $text = if (Test-Path -LiteralPath $log) { Get-Content -Raw -LiteralPath $log } else { '' }
        Write-Host "The job's log ($(if ($realJob) { 'Update-OcsCertificate' } else { 'harmless stand-in job' })):`n$text"
        $text | Should -Match '(?m)^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ renewal job started$' -Because "the log is '$log'; cron said: $(Get-Content -Raw (Join-Path $base 'cron.out') -ErrorAction SilentlyContinue)"
        $text | Should -Match '(?m)^\S+ renewal job ended with exit code 0$' -Because $text
        if ($realJob) {
            (Get-OcsCertificateRenewal -StorePath $store) | Should -BeNullOrEmpty -Because 'it was unregistered'
            (Get-Content -Raw -LiteralPath (Join-Path $store 'renewal/status.json') | ConvertFrom-Json).result | Should -Be 'Succeeded'
            $binding = Get-OcsCertificateBinding -Role FrontEnd -StorePath $store
            $binding.PreviousThumbprint | Should -Be $old.Thumbprint -Because 'cron ran the job and it renewed the due certificate'
            $binding.Thumbprint | Should -Not -Be $old.Thumbprint
        }
        else {
            $text | Should -Match "(?m)^harmless job ran: $($r.Name)$" -Because 'the job found its registration in the store cron passed it'
        }
    }
}
