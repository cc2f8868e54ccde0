# The pool lab itself (examples/PoolHosts.psm1), proven for real: members reached by name over
# PowerShell remoting, each with its own host name, store and modules, resolving and reaching each
# other, getting a certificate from the lab's Pebble by http-01; a member down; nothing left after.
# Runs under with-own-hosts.sh (Invoke-PoolTest.ps1 sees to it).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../examples/PoolHosts.psm1') -Force
    $sshOptions = @{ StrictHostKeyChecking = 'no'; UserKnownHostsFile = '/dev/null'; LogLevel = 'ERROR' }
    $tempRoot = [System.IO.Path]::GetTempPath()

    # What of a lab is still there: its namespaces, its links, its live processes.
    function Get-LabRemains($Lab) {
        $namespaces = @(& ip netns list 2>$null | ForEach-Object { ($_ -split ' ')[0] } | Where-Object { $_ -like "ocsp-$($Lab.Id)-*" })
        $links = @(& ip -o link show 2>$null | Where-Object { $_ -match "^\d+: ocspb?$($Lab.Id)" })
        $processes = @(foreach ($directory in [System.IO.Directory]::GetDirectories('/proc')) {
                $name = [System.IO.Path]::GetFileName($directory)
                if ($name -notmatch '^\d+$' -or [int] $name -eq $PID) { continue }
                try { $commandLine = [System.IO.File]::ReadAllText("$directory/cmdline").Replace([char] 0, ' ') } catch { continue }
                $workingFolder = try { [System.IO.Directory]::ResolveLinkTarget("$directory/cwd", $false).FullName } catch { '' }
                if ((Get-Content "$directory/stat" -ErrorAction SilentlyContinue) -match '^\d+ \(.*\) [ZX] ') { continue }  # a zombie is dead
                if ($commandLine.Contains("$($Lab.Folder)/") -or $commandLine -match "ocsp-$($Lab.Id)-" -or "$workingFolder/".StartsWith("$($Lab.Folder)/")) {
                    "$name $commandLine"
                }
            })
        @($namespaces) + @($links) + @($processes)
    }
    # The nearest ancestor outside this process's mount namespace (with-own-hosts.sh's first shell).
    function Get-OutsideProcessId {
        $own = [System.IO.Directory]::ResolveLinkTarget('/proc/self/ns/mnt', $false).Name
        $current = $PID
        while ($current -gt 1) {
            $current = [int] ((Get-Content "/proc/$current/status" | Where-Object { $_ -like 'PPid:*' }) -replace '^PPid:\s*', '')
            if ($current -le 1) { break }
            if ([System.IO.Directory]::ResolveLinkTarget("/proc/$current/ns/mnt", $false).Name -ne $own) { return $current }
        }
    }
    function Get-Timing([string] $Label, [double] $Seconds) { Write-Host ("TIMING {0}: {1:n2} s" -f $Label, $Seconds) }
}

Describe 'New-OcsPoolHosts' {
    BeforeAll {
        $folder = Join-Path $tempRoot ("ocscert-pool-" + [guid]::NewGuid().ToString('n'))
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $lab = New-OcsPoolHosts -Folder $folder -Member fe01, fe02, fe03 -WithoutModule fe03
        Get-Timing 'lab of 3 members up' $watch.Elapsed.TotalSeconds
        $connect = @{ UserName = $lab.UserName; KeyFilePath = $lab.KeyFilePath; Options = $sshOptions }
        $watch.Restart()
        # In the members' order (sessions come back in the order they opened).
        $opened = New-PSSession -HostName $lab.Members.Fqdn @connect
        $sessions = foreach ($member in $lab.Members) { $opened | Where-Object ComputerName -EQ $member.Fqdn }
        Get-Timing '3 sessions opened in parallel by name' $watch.Elapsed.TotalSeconds
    }
    AfterAll {
        if ($sessions) { Remove-PSSession $sessions -ErrorAction SilentlyContinue }
        if ($lab) { Remove-OcsPoolHosts -Lab $lab }
        Remove-Item -Recurse -Force $folder -ErrorAction SilentlyContinue
    }

    It 'describes three members on a bridge of its own, and the admin side resolves them' {
        $lab.Members.Name | Should -Be 'fe01', 'fe02', 'fe03'
        $lab.Members.Fqdn | Should -Be 'fe01.contoso.test', 'fe02.contoso.test', 'fe03.contoso.test'
        $lab.Members.ModuleInstalled | Should -Be $true, $true, $false
        $lab.UserName | Should -Be 'root'
        Test-Path $lab.KeyFilePath | Should -BeTrue
        Get-Content /sys/class/net/$($lab.Bridge)/operstate | Should -Be 'up'
        foreach ($member in $lab.Members) {
            $member.Address | Should -Match "^$([regex]::Escape(($lab.AdminAddress -replace '\.1$', '.')))\d+$"
            ([System.Net.Dns]::GetHostAddresses($member.Fqdn) | Where-Object AddressFamily -EQ InterNetwork).IPAddressToString | Should -Be $member.Address
            (& ip netns list 2>$null) -join "`n" | Should -Match "(?m)^$($member.Namespace)\b"
        }
        # The names are in this process's private /etc/hosts, and only there.
        Get-Content /etc/hosts -Raw | Should -Match "$([regex]::Escape($lab.Members[0].Address))\s+fe01\.contoso\.test"
        $env:OCSCERT_POOL_HOSTS_FILE | Should -Not -Be '/etc/hosts'
        # The machine's /etc/hosts, as a process outside with-own-hosts.sh sees it, has none of them.
        $outside = Get-OutsideProcessId
        $outside | Should -Not -BeNullOrEmpty
        Get-Content -Raw "/proc/$outside/root/etc/hosts" | Should -Not -Match 'contoso\.test'
    }

    It 'opens a session on every member by name; each has its own host name, home, store and user module path' {
        $sessions.Count | Should -Be 3
        $sessions.State | Sort-Object -Unique | Should -Be 'Opened'
        $seen = Invoke-Command -Session $sessions {
            [pscustomobject]@{ HostName = [System.Net.Dns]::GetHostName(); Home = $HOME; Store = $env:OCSCERT_STORE; Data = $env:XDG_DATA_HOME
                Module = @(Get-Module -ListAvailable OcsCertificate).Count; Hosts = Get-Content /etc/hosts -Raw }
        } | Sort-Object PSComputerName
        $seen.PSComputerName | Should -Be $lab.Members.Fqdn
        $seen.HostName | Should -Be $lab.Members.Fqdn
        $seen.Store | Should -Be $lab.Members.StorePath
        # Not this machine's /root: a session's shell reads no start-up file of the machine's root.
        $seen.Home | Should -Be ($lab.Members | ForEach-Object { Join-Path $_.Folder 'home' })
        $seen.Module | Should -Be 1, 1, 0
        foreach ($item in $seen) { $item.Hosts | Should -Be (Get-Content -Raw $lab.HostsFile) }
        # A module copied into one member's user module path is that member's only.
        $userModules = ($lab.Members | Where-Object Name -EQ 'fe03').UserModulePath
        $null = New-Item -ItemType Directory (Join-Path $userModules 'OcsLabProbe')
        Set-Content (Join-Path $userModules 'OcsLabProbe/OcsLabProbe.psm1') 'function Get-OcsLabProbe { $env:OCSCERT_STORE }'
        $probe = Invoke-Command -Session $sessions { @(Get-Module -ListAvailable OcsLabProbe).Count } | Sort-Object PSComputerName
        $probe | Should -Be 0, 0, 1
    }

    It 'keeps a member''s scheduled renewal in its own cron.d, not the machine''s' {
        $machine = @(Get-ChildItem /etc/cron.d -ErrorAction SilentlyContinue).Name
        $registration = Invoke-Command -Session $sessions[0] { Import-Module OcsCertificate; Register-OcsCertificateRenewal }
        $registration.Scheduler | Should -Be 'Cron'
        $registration.StorePath | Should -Be $lab.Members[0].StorePath
        (Get-ChildItem $lab.Members[0].CronPath).Name | Should -Be $registration.Name
        @(Get-ChildItem $lab.Members[1].CronPath).Count | Should -Be 0
        @(Get-ChildItem /etc/cron.d -ErrorAction SilentlyContinue).Name | Should -Be $machine
    }

    It 'lets members resolve and reach each other by name' {
        $names = $lab.Members.Fqdn
        $reached = Invoke-Command -Session $sessions {
            foreach ($name in $using:names) {
                $client = [System.Net.Sockets.TcpClient]::new()
                $open = try { $client.ConnectAsync($name, 22).Wait(3000) } catch { $false } finally { $client.Dispose() }
                [pscustomobject]@{ From = [System.Net.Dns]::GetHostName(); To = $name
                    Address = ([System.Net.Dns]::GetHostAddresses($name) | Where-Object AddressFamily -EQ InterNetwork).IPAddressToString -join ','; Open = $open }
            }
        }
        $reached.Count | Should -Be 9
        foreach ($row in $reached) {
            $row.Address | Should -Be ($lab.Members | Where-Object Fqdn -EQ $row.To).Address
            $row.Open | Should -BeTrue -Because "$($row.From) reaches $($row.To)"
        }
    }

    It 'issues a member a certificate for its own name and the pool name, validated by Pebble against that member' {
        $fe01 = $lab.Members[0]
        Set-OcsPoolHostsName -Lab $lab -Name pool01.contoso.test -Address $fe01.Address
        ([System.Net.Dns]::GetHostAddresses('pool01.contoso.test') | Where-Object AddressFamily -EQ InterNetwork).IPAddressToString | Should -Be $fe01.Address
        $ca = $lab.Ca
        $request = {
            Import-Module OcsCertificate
            # (A separate statement: in a command that has $using: arguments, a parenthesized
            # argument is evaluated on the admin side.)
            $machine = [System.Net.Dns]::GetHostName()
            New-OcsCertificateRequest -PoolFqdn pool01.contoso.test -IncludeMachineName -MachineFqdn $machine `
                -KeyAlgorithm ECDSA_P256 -Organization Contoso -Country US -State Washington -City Redmond `
                -CA $using:ca.CA -CaBundle $using:ca.CaBundle -HttpListener 0.0.0.0:80 -TimeoutSeconds 30
        }
        $certificate = Invoke-Command -Session $sessions[0] $request
        $certificate.PSComputerName | Should -Be $fe01.Fqdn
        $certificate.PSObject.TypeNames[0] | Should -Be 'Deserialized.OcsCertificate.Certificate'
        $certificate.AlternativeNames | Should -Contain 'pool01.contoso.test'
        $certificate.AlternativeNames | Should -Contain 'fe01.contoso.test'
        $certificate.Issuer | Should -Match 'Pebble'
        $certificate.StorePath | Should -Be $fe01.StorePath
        # In fe01's own store only.
        @(Get-ChildItem -Recurse -Filter *.pem $fe01.StorePath).Count | Should -BeGreaterThan 0
        @(Get-ChildItem -Recurse -Filter *.pem $lab.Members[1].StorePath).Count | Should -Be 0
        # The pool name now points at fe02 (nothing on its port 80): Pebble checks there, so fe01 fails,
        # which shows the checks follow the lab's records.
        Set-OcsPoolHostsName -Lab $lab -Name pool01.contoso.test -Address $lab.Members[1].Address
        Invoke-Command -Session $sessions[0] { (Get-Content /etc/hosts -Raw) } | Should -Match "$([regex]::Escape($lab.Members[1].Address))\s+pool01\.contoso\.test"
        { Invoke-Command -Session $sessions[0] $request -ErrorAction Stop } | Should -Throw
        # Several addresses (round-robin DNS in front of the pool), on both sides.
        Set-OcsPoolHostsName -Lab $lab -Name pool01.contoso.test -Address $lab.Members[0].Address, $lab.Members[1].Address
        ([System.Net.Dns]::GetHostAddresses('pool01.contoso.test') | Where-Object AddressFamily -EQ InterNetwork).IPAddressToString | Sort-Object |
            Should -Be ($lab.Members[0].Address, $lab.Members[1].Address | Sort-Object)
        Invoke-Command -Session $sessions[2] { ([System.Net.Dns]::GetHostAddresses('pool01.contoso.test') | Where-Object AddressFamily -EQ InterNetwork).IPAddressToString } |
            Sort-Object | Should -Be ($lab.Members[0].Address, $lab.Members[1].Address | Sort-Object)
    }

    It 'takes a member down (unreachable within seconds, the others still answer) and brings it back' {
        Stop-OcsPoolHost -Lab $lab -Member fe02
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $down = New-PSSession -HostName fe02.contoso.test @connect -ConnectingTimeout 3000 -ErrorAction SilentlyContinue -ErrorVariable failure
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 8
        $down | Should -BeNullOrEmpty
        $failure | Should -Not -BeNullOrEmpty
        # Every process of it ended, its remote pwsh included (they were in its PID namespace).
        & ip netns pids ($lab.Members[1].Namespace) | Should -BeNullOrEmpty
        Invoke-Command -Session $sessions[0], $sessions[2] { [System.Net.Dns]::GetHostName() } | Sort-Object |
            Should -Be 'fe01.contoso.test', 'fe03.contoso.test'
        # And back up: same name, host key and store.
        Start-OcsPoolHost -Lab $lab -Member fe02
        $answer = & ssh -i $lab.KeyFilePath -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ConnectTimeout=5 `
            root@fe02.contoso.test 'hostname; echo $OCSCERT_STORE'
        $answer | Should -Be 'fe02.contoso.test', $lab.Members[1].StorePath
    }

    It 'leaves nothing behind: no namespace, link or process of the lab, and its names are gone' {
        Remove-PSSession $sessions -ErrorAction SilentlyContinue
        $script:sessions = $null
        Get-LabRemains $lab | Should -Not -BeNullOrEmpty
        Remove-OcsPoolHosts -Lab $lab
        Get-LabRemains $lab | Should -BeNullOrEmpty
        Test-Path /sys/class/net/$($lab.Bridge) | Should -BeFalse
        Get-Content /etc/hosts -Raw | Should -Not -Match 'contoso\.test'
        $script:lab = $null
    }
}

Describe 'New-OcsPoolHosts and what is left over' {
    It 'refuses to start without a private /etc/hosts, and says how to get one' {
        $saved = $env:OCSCERT_POOL_HOSTS_FILE
        try {
            $env:OCSCERT_POOL_HOSTS_FILE = $null
            { New-OcsPoolHosts -Folder (Join-Path $tempRoot 'ocscert-pool-unused') -Member fe01 } | Should -Throw '*OCSCERT_POOL_HOSTS_FILE is not set*with-own-hosts.sh*'
            $env:OCSCERT_POOL_HOSTS_FILE = '/etc/hosts'
            { New-OcsPoolHosts -Folder (Join-Path $tempRoot 'ocscert-pool-unused') -Member fe01 } | Should -Throw '*not a private copy mounted over /etc/hosts*'
        }
        finally { $env:OCSCERT_POOL_HOSTS_FILE = $saved }
        Test-Path (Join-Path $tempRoot 'ocscert-pool-unused') | Should -BeFalse
    }

    It 'cleans up after itself when it fails half-way' {
        $folder = Join-Path $tempRoot ("ocscert-pool-" + [guid]::NewGuid().ToString('n'))
        # A file where the CA's folder goes: the members are up by the time the CA fails to start.
        $null = New-Item -ItemType Directory $folder
        Set-Content (Join-Path $folder 'ca') 'in the way'
        try {
            { New-OcsPoolHosts -Folder $folder -Member fe01, fe02 -WarningAction SilentlyContinue } | Should -Throw
            $state = Get-Content -Raw (Join-Path $folder 'lab.json') | ConvertFrom-Json
            @($state.Namespaces).Count | Should -Be 2
            @($state.Processes).Count | Should -BeGreaterThan 1
            Get-LabRemains ([pscustomobject]@{ Id = $state.Id; Folder = $folder }) | Should -BeNullOrEmpty
        }
        finally { Remove-Item -Recurse -Force $folder -ErrorAction SilentlyContinue }
    }

    It 'removes the lab of a run that was killed when the next lab starts; runs two labs at once (1 and 8 members)' {
        $killedFolder = Join-Path $tempRoot ("ocscert-pool-" + [guid]::NewGuid().ToString('n'))
        $pwsh = @($env:OCSCERT_PWSH, "$PSScriptRoot/../../.tools/pwsh/pwsh") | Where-Object { $_ -and (Test-Path $_) } | Select-Object -First 1
        $script = "Import-Module '$PSScriptRoot/../../examples/PoolHosts.psm1'; `$lab = New-OcsPoolHosts -Folder '$killedFolder' -Member old01; 'up'; Start-Sleep 300"
        $runner = Start-Process $pwsh -PassThru -RedirectStandardOutput "$killedFolder.out" -RedirectStandardError "$killedFolder.err" `
            -ArgumentList '-NoProfile', '-NonInteractive', '-Command', "`"$($script.Replace('"', '\"'))`""
        $folders = @($killedFolder)
        $labs = @()
        try {
            foreach ($attempt in 1..300) {
                if ((Get-Content "$killedFolder.out" -ErrorAction SilentlyContinue) -contains 'up' -or $runner.HasExited) { break }
                Start-Sleep -Milliseconds 100
            }
            $runner.HasExited | Should -BeFalse -Because (Get-Content -Raw "$killedFolder.err" -ErrorAction SilentlyContinue)
            $killed = Get-Content -Raw (Join-Path $killedFolder 'lab.json') | ConvertFrom-Json
            # Without its record, as if it was killed before writing it: what is left is found by
            # the bridge's alias, the namespace names and the lab folder in command lines and working folders.
            Remove-Item (Join-Path $killedFolder 'lab.json')
            # Killed as a test run is: the owner (pwsh.dll under the launcher) with no chance to clean up.
            & kill -KILL $killed.Owner.Id $runner.Id
            $runner.WaitForExit()
            Get-LabRemains ([pscustomobject]@{ Id = $killed.Id; Folder = $killedFolder }) | Should -Not -BeNullOrEmpty
            Get-Content /etc/hosts -Raw | Should -Match 'old01\.contoso\.test'

            $labs = @()
            foreach ($size in 1, 8) {
                $folder = Join-Path $tempRoot ("ocscert-pool-" + [guid]::NewGuid().ToString('n'))
                $folders += $folder
                $watch = [System.Diagnostics.Stopwatch]::StartNew()
                $labs += New-OcsPoolHosts -Folder $folder -Member (1..$size | ForEach-Object { 'm{0:d2}' -f $_ }) -Domain "size$size.test"
                Get-Timing "lab of $size member(s) up" $watch.Elapsed.TotalSeconds
                if ($size -eq 1) {
                    Get-LabRemains ([pscustomobject]@{ Id = $killed.Id; Folder = $killedFolder }) | Should -BeNullOrEmpty
                    Get-Content /etc/hosts -Raw | Should -Not -Match 'old01'
                }
                $labs[-1].Members.Count | Should -Be $size
                @($labs[-1].Members.Address | Sort-Object -Unique).Count | Should -Be $size
            }
            # Two labs at once: bridges and subnets of their own, every member of both answering.
            $labs[0].Subnet | Should -Not -Be $labs[1].Subnet
            foreach ($member in @($labs[0].Members) + @($labs[1].Members)) {
                $client = [System.Net.Sockets.TcpClient]::new()
                try { $client.ConnectAsync($member.Fqdn, 22).Wait(5000) | Should -BeTrue -Because "$($member.Fqdn) answers" } finally { $client.Dispose() }
            }
            foreach ($item in $labs) {
                $watch = [System.Diagnostics.Stopwatch]::StartNew()
                Remove-OcsPoolHosts -Lab $item
                Get-Timing "lab of $($item.Members.Count) member(s) removed" $watch.Elapsed.TotalSeconds
                Get-LabRemains $item | Should -BeNullOrEmpty
            }
            $labs = @()
        }
        finally {
            foreach ($item in $labs) { Remove-OcsPoolHosts -Lab $item }
            if (-not $runner.HasExited) { $runner.Kill() }
            foreach ($item in $folders) { Remove-Item -Recurse -Force $item, "$item.out", "$item.err" -ErrorAction SilentlyContinue }
        }
    }
}
