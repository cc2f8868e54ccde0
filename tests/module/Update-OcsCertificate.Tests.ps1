# The unattended renewal run, against a real Pebble whose certificates live 30
# seconds, so a renewal window really passes. Kills are real: the run is a
# child pwsh that the native crash points end at once, as a kill would.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force; Import-OcsTestModule
    Import-Module (Join-Path $PSScriptRoot '../../examples/EmbeddedCa.psm1') -Force
    $work = Join-Path ([System.IO.Path]::GetTempPath()) ("ocscert-renew-" + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory $work
    $pebble = Start-OcsEmbeddedCa -Folder (Join-Path $work 'pebble') -ValiditySeconds 30 -NonceRejectPercent 5
    $connection = @{ CA = $pebble.CA; CaBundle = $pebble.CaBundle; HttpListener = $pebble.HttpListener }
    $module = Join-Path $PSScriptRoot '../../module/OcsCertificate/OcsCertificate.psd1'

    # A hook that records how it was called, one line per call.
    function New-RecordingHook([string] $Name) {
        $hook = Join-Path $work "$Name.sh"
        $calls = Join-Path $work "$Name.calls"
        Set-Content -LiteralPath $hook -Value "#!/bin/sh`nprintf '%s|' `"`$@`" >> '$calls'`necho >> '$calls'"
        & chmod +x $hook
        [pscustomobject]@{ Path = $hook; Calls = $calls }
    }

    # An assigned FrontEnd certificate from the CA given, its trust remembered with the binding.
    function New-BoundCertificate([string] $Store, $Ca = $pebble) {
        $arguments = Get-OcsTestRequestArguments
        $with = @{ CA = $Ca.CA; CaBundle = $Ca.CaBundle; HttpListener = $Ca.HttpListener }
        $certificate = New-OcsCertificateRequest @arguments @with -Role FrontEnd -Assign -TrustAnchorPath $Ca.RootPath -StorePath $Store
        $certificate.Role | Should -Be @('FrontEnd')
        $certificate
    }

    function Get-OcsCertificateRenewalStatus([string] $Store) { Get-Content -Raw (Join-Path $Store 'renewal/status.json') | ConvertFrom-Json }

    # The renewal run as the scheduled job runs it: a child pwsh; its exit status is the job's.
    function Invoke-RenewalJob([string] $Store, [string] $Arguments = '') {
        $output = Invoke-OcsTestPwsh -Command "Import-Module '$module'; Update-OcsCertificate -StorePath '$Store' $Arguments; exit [int](-not `$?)"
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = $output -join "`n" }
    }
}
AfterAll {
    if ($pebble) { Stop-OcsEmbeddedCa $pebble }
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}

Describe 'Update-OcsCertificate' {
    BeforeEach { $store = New-OcsTestStore }
    AfterEach {
        Remove-Item -LiteralPath $store -Recurse -Force -ErrorAction SilentlyContinue
        $env:OCSCERT_STORE = $null
        $env:OCSCERT_TEST_CRASH_AT = $null
    }

    It 'remembers how a certificate was obtained and when it is due' {
        $certificate = New-BoundCertificate $store
        $listed = Get-OcsCertificate -Thumbprint $certificate.Thumbprint -StorePath $store
        $listed.CA | Should -Be $pebble.CA
        $lifetime = ($listed.NotAfter - $listed.NotBefore).TotalSeconds
        $due = ($listed.RenewAfter - $listed.NotBefore).TotalSeconds
        $due | Should -BeLessOrEqual ($lifetime / 2 + 1) -Because 'a certificate valid under 10 days is due at half its lifetime'
        $due | Should -BeGreaterOrEqual ($lifetime / 2 - $lifetime / 20 - 1) -Because 'the per-certificate spread is at most 1/20 of the lifetime'
        # The trust given at assignment is remembered: a plain role test trusts the same root.
        (Test-OcsCertificate -Role FrontEnd -StorePath $store | Where-Object Check -eq 'Chain').Passed | Should -BeTrue
    }

    It 'does nothing, silently and successfully, while nothing is due' {
        # From a CA whose certificates live for days: a 30-second one can fall due while a loaded machine starts the job.
        $lasting = Start-OcsEmbeddedCa -Folder (Join-Path $work "lasting-$([guid]::NewGuid().ToString('n'))")
        try { $null = New-BoundCertificate $store $lasting } finally { Stop-OcsEmbeddedCa $lasting }
        $job = Invoke-RenewalJob $store
        $job.ExitCode | Should -Be 0
        $job.Output | Should -BeNullOrEmpty
        (Get-Content -Raw (Join-Path $store 'renewal/status.json') | ConvertFrom-Json).result | Should -Be 'NothingDue'
    }

    It 'renews when the window has passed: a new key, bound to the same roles, the old kept as previous, the deploy hook told' {
        $old = New-BoundCertificate $store
        $deploy = New-RecordingHook 'deploy'
        $renewAfter = (Get-OcsCertificate -Thumbprint $old.Thumbprint -StorePath $store).RenewAfter
        $plan = Update-OcsCertificate -WhatIf -StorePath $store -Verbose *>&1 | Out-String
        $plan | Should -Not -Match "certificate $($old.Thumbprint)" -Because 'not due yet'
        Start-Sleep -Seconds ([math]::Max(0, [math]::Ceiling(($renewAfter - (Get-Date).ToUniversalTime()).TotalSeconds) + 1))

        $before = Get-ChildItem -Recurse $store | Measure-Object | Select-Object -ExpandProperty Count
        $plan = Update-OcsCertificate -WhatIf -StorePath $store -Verbose *>&1 | Out-String
        $plan | Should -Match "certificate $($old.Thumbprint) of FrontEnd"
        $plan | Should -Match 'past its renewal time'
        (Get-ChildItem -Recurse $store | Measure-Object).Count | Should -Be $before -Because '-WhatIf changes nothing'

        $renewed = Update-OcsCertificate -DeployHook $deploy.Path -StorePath $store
        $renewed.Outcome | Should -Be 'Renewed'
        $renewed.PSObject.TypeNames[0] | Should -Be 'OcsCertificate.RenewalResult'
        $binding = Get-OcsCertificateBinding -Role FrontEnd -StorePath $store
        $binding.Thumbprint | Should -Be $renewed.NewThumbprint
        $binding.PreviousThumbprint | Should -Be $old.Thumbprint
        $new = Get-OcsCertificate -Thumbprint $renewed.NewThumbprint -StorePath $store
        $new.RenewalOf | Should -Be $old.Thumbprint
        $new.AlternativeNames | Should -Be $old.AlternativeNames
        $oldKey = (Get-Content -Raw (Join-Path $store "certificates/$($old.Thumbprint)/key.pem"))
        $newKey = (Get-Content -Raw (Join-Path $store "certificates/$($new.Thumbprint)/key.pem"))
        $newKey | Should -Not -Be $oldKey -Because 'a renewal makes a new key'
        (Get-Content $deploy.Calls) | Should -Be "FrontEnd|$($new.Thumbprint)|$(Join-Path $store 'live/FrontEnd')|"
        (Get-Content -Raw (Join-Path $store 'logs/renewal.log')) | Should -Match "Renewed FrontEnd $($old.Thumbprint)"
        @(Get-OcsCertificateRequest -StorePath $store) | Should -HaveCount 0
    }

    It 'keeps the old certificate bound when the CA is down, fires the failure hook, fails the job, and tries again next run' {
        $gone = Start-OcsEmbeddedCa -Folder (Join-Path $work "gone-$([guid]::NewGuid().ToString('n'))")
        try { $old = New-BoundCertificate $store $gone } finally { Stop-OcsEmbeddedCa $gone }
        $failure = New-RecordingHook 'failure'
        $job = Invoke-RenewalJob $store "-Force -FailureHook '$($failure.Path)' -WaitSeconds 5"
        $job.ExitCode | Should -Be 1
        $job.Output | Should -Match 'CaUnreachable|cannot be reached|could not connect'
        (Get-OcsCertificateBinding -Role FrontEnd -StorePath $store).Thumbprint | Should -Be $old.Thumbprint
        (Get-Content $failure.Calls) | Should -Match "^FrontEnd\|$($old.Thumbprint)\|CaUnreachable\|"
        $request = @(Get-OcsCertificateRequest -StorePath $store)
        $request | Should -HaveCount 1 -Because 'the renewal request is kept for the next run'
        $request[0].LastErrorReason | Should -Be 'CaUnreachable'
        $again = Invoke-RenewalJob $store "-Force -WaitSeconds 5"
        $again.ExitCode | Should -Be 1
        @(Get-OcsCertificateRequest -StorePath $store) | Should -HaveCount 1 -Because 'the next run retries the same request instead of making another'
        @(Select-String -Path (Join-Path $store 'logs/renewal.log') -Pattern '^\S+ Failed FrontEnd') | Should -HaveCount 2
        (Get-OcsCertificateRenewalStatus $store).result | Should -Be 'Failed'
    }

    It 'finishes after a kill at <Point>: never a role unbound, nothing ordered twice' -ForEach @(
        @{ Point = 'request.after-key' }, @{ Point = 'request.after-commit' }, @{ Point = 'complete.before-commit' },
        @{ Point = 'complete.after-commit' }, @{ Point = 'request.remove.after-rename' }, @{ Point = 'bind.before-commit' },
        @{ Point = 'bind.before-switch' }, @{ Point = 'bind.after-switch' }, @{ Point = 'renew.after-bind' }
    ) {
        $old = New-BoundCertificate $store
        $env:OCSCERT_TEST_CRASH_AT = $Point
        $killed = Invoke-RenewalJob $store "-Force -Thumbprint $($old.Thumbprint)"
        $env:OCSCERT_TEST_CRASH_AT = $null
        $killed.ExitCode | Should -Be 86 -Because "the run was killed at $Point"
        (Get-OcsCertificateBinding -Role FrontEnd -StorePath $store).Thumbprint | Should -BeIn @(Get-OcsCertificate -StorePath $store).Thumbprint
        $next = Invoke-RenewalJob $store "-Force -Thumbprint $($old.Thumbprint)"
        $next.ExitCode | Should -Be 0 -Because $next.Output
        $binding = Get-OcsCertificateBinding -Role FrontEnd -StorePath $store
        $binding.Thumbprint | Should -Not -Be $old.Thumbprint
        $binding.PreviousThumbprint | Should -Be $old.Thumbprint
        @(Get-OcsCertificate -StorePath $store) | Should -HaveCount 2 -Because 'one renewal, not two'
        @(Get-OcsCertificateRequest -StorePath $store) | Should -HaveCount 0
        & openssl verify -CAfile $pebble.RootPath -untrusted (Join-Path $store 'live/FrontEnd/chain.pem') (Join-Path $store 'live/FrontEnd/cert.pem') | Out-Null
        $LASTEXITCODE | Should -Be 0 -Because 'live/ holds a whole, consistent set'
    }

    It 'keeps a renewal when its deploy hook fails or hangs, but fails the job and logs why' {
        $old = New-BoundCertificate $store
        $failing = Join-Path $work 'failing-hook.sh'
        Set-Content -LiteralPath $failing -Value "#!/bin/sh`nexit 3"
        $hanging = Join-Path $work 'hanging-hook.sh'
        Set-Content -LiteralPath $hanging -Value "#!/bin/sh`nexec sleep 30"
        & chmod +x $failing $hanging
        $job = Invoke-RenewalJob $store "-Force -DeployHook '$failing'"
        $job.ExitCode | Should -Be 1
        $job.Output | Should -Match 'HookFailed|hook failed'
        (Get-OcsCertificateBinding -Role FrontEnd -StorePath $store).PreviousThumbprint | Should -Be $old.Thumbprint -Because 'the renewal stands'
        (Get-Content -Raw (Join-Path $store 'logs/renewal.log')) | Should -Match 'HookFailed FrontEnd \w+ deployHook .* exited with 3'
        $started = Get-Date
        $job = Invoke-RenewalJob $store "-Force -DeployHook '$hanging' -HookTimeoutSeconds 1"
        $job.ExitCode | Should -Be 1
        ((Get-Date) - $started).TotalSeconds | Should -BeLessThan 25 -Because 'a hanging hook is stopped after its timeout'
        (Get-Content -Raw (Join-Path $store 'logs/renewal.log')) | Should -Match 'HookFailed FrontEnd .*(did not finish|timed out|within)'
    }

    It 'lets two jobs at once renew a certificate once' {
        $old = New-BoundCertificate $store
        Start-Sleep -Seconds ([math]::Max(0, [math]::Ceiling(((Get-OcsCertificate -Thumbprint $old.Thumbprint -StorePath $store).RenewAfter - (Get-Date).ToUniversalTime()).TotalSeconds) + 1))
        $pwsh = (Get-Process -Id $PID).Path
        $prefix = @(if ([System.IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { [Environment]::GetCommandLineArgs()[0] })
        $command = "Import-Module '$module'; Update-OcsCertificate -StorePath '$store'; exit [int](-not `$?)"
        $jobs = 1..2 | ForEach-Object { Start-Process $pwsh -ArgumentList (@($prefix) + @('-NoProfile', '-NonInteractive', '-Command', $command)) -PassThru }
        $jobs | ForEach-Object { $_.WaitForExit(120000) | Should -BeTrue; $_.ExitCode | Should -Be 0 }
        @(Get-OcsCertificate -StorePath $store) | Should -HaveCount 2 -Because 'the second run found the renewal done'
        (Get-OcsCertificateBinding -Role FrontEnd -StorePath $store).PreviousThumbprint | Should -Be $old.Thumbprint
    }

    It 'renews a certificate from an offline CA as a request file for the admin, then binds what the admin completes' {
        $ca = New-OcsTestCa
        try {
            $arguments = Get-OcsTestRequestArguments
            $request = New-OcsCertificateRequest @arguments -Role FrontEnd -OutFile (Join-Path $work "offline-$([guid]::NewGuid().ToString('n')).req") -StorePath $store
            $sign = {
                param($RequestFile, $Out)
                & openssl x509 -req -in $RequestFile -CA (Join-Path $ca 'issuing.pem') -CAkey (Join-Path $ca 'issuing.key') -CAcreateserial -days 30 -copy_extensions copy -out $Out 2>$null
                Get-Content -Raw (Join-Path $ca 'issuing.pem') | Add-Content -LiteralPath $Out
            }
            & $sign $request.OutFile (Join-Path $work 'offline.cer')
            $old = Complete-OcsCertificateRequest -Path (Join-Path $work 'offline.cer') -StorePath $store
            Set-OcsCertificate -Role FrontEnd -Thumbprint $old.Thumbprint -TrustAnchorPath (Join-Path $ca 'root.pem') -StorePath $store | Out-Null
            $failure = New-RecordingHook 'offline-failure'

            $job = Invoke-RenewalJob $store "-RenewBeforeDays 365 -FailureHook '$($failure.Path)'"
            $job.ExitCode | Should -Be 1 -Because 'something due waits for the admin'
            $job.Output | Should -Match 'Complete-OcsCertificateRequest'
            $file = Join-Path $store "renewal/$($old.Thumbprint).req"
            $file | Should -Exist
            (Get-Content $failure.Calls) | Should -Match 'OfflineCa'
            $again = Invoke-RenewalJob $store '-RenewBeforeDays 365'
            @(Get-OcsCertificateRequest -StorePath $store) | Should -HaveCount 1 -Because 'one request file, not one per run'

            & $sign $file (Join-Path $work 'offline-renewed.cer')
            $renewed = Complete-OcsCertificateRequest -Path (Join-Path $work 'offline-renewed.cer') -StorePath $store
            $renewed.RenewalOf | Should -Be $old.Thumbprint
            $done = Update-OcsCertificate -RenewBeforeDays 365 -StorePath $store
            $done.Outcome | Should -Be 'Renewed'
            (Get-OcsCertificateBinding -Role FrontEnd -StorePath $store).Thumbprint | Should -Be $renewed.Thumbprint
        }
        finally { Remove-Item -Recurse -Force $ca -ErrorAction SilentlyContinue }
    }

    It 'fails the job and names the certificate when the record of a bound certificate cannot be read' {
        # A damaged store must not look like "nothing due": the role's certificate would expire unrenewed.
        $old = New-BoundCertificate $store
        $failure = New-RecordingHook 'damaged'
        Set-Content -LiteralPath (Join-Path $store "certificates/$($old.Thumbprint)/certificate.json") -Value 'not JSON'
        $job = Invoke-RenewalJob $store "-FailureHook '$($failure.Path)'"
        $job.ExitCode | Should -Be 1
        $job.Output | Should -Match $old.Thumbprint
        (Get-Content $failure.Calls) | Should -Match "^FrontEnd\|$($old.Thumbprint)\|CertificateUnreadable\|"
        (Get-OcsCertificateBinding -Role FrontEnd -StorePath $store).Thumbprint | Should -Be $old.Thumbprint
    }

    It 'fails the job, creating nothing, for a store that does not exist (a mistyped path)' {
        $job = Invoke-RenewalJob $store
        $job.ExitCode | Should -Be 1
        $job.Output | Should -Match 'StoreNotFound|does not exist, so it holds nothing to renew'
        Test-Path -LiteralPath $store | Should -BeFalse
        { Update-OcsCertificate -StorePath $store -WhatIf } | Should -Throw -ErrorId 'StoreNotFound,Update-OcsCertificate'
        Test-Path -LiteralPath $store | Should -BeFalse
    }

    It 'says what is wrong with a hook path: not absolute, a folder, or missing' {
        { Update-OcsCertificate -DeployHook '/nonexistent/hook' -StorePath $store } | Should -Throw -ErrorId 'InvalidPath,Update-OcsCertificate' -ExpectedMessage "DeployHook: '/nonexistent/hook' does not exist*"
        { Update-OcsCertificate -FailureHook $work -StorePath $store } | Should -Throw -ErrorId 'InvalidPath,Update-OcsCertificate' -ExpectedMessage 'FailureHook: * is a folder*'
    }

    It 'names a -Thumbprint that no role uses (CertificateNotBound) instead of renewing nothing' {
        $null = New-BoundCertificate $store
        $err = { Update-OcsCertificate -Thumbprint ('A' * 40) -Force -StorePath $store } | Should -Throw -ErrorId 'CertificateNotBound,Update-OcsCertificate' -PassThru
        $err.Exception.Message | Should -BeLike 'Thumbprint: No role uses the certificate*'
    }

    It 'carries out a roll-over that came due, but not with -WhatIf' {
        $old = New-BoundCertificate $store
        $arguments = Get-OcsTestRequestArguments
        $new = New-OcsCertificateRequest @arguments @connection -Role FrontEnd -StorePath $store
        $null = Set-OcsCertificate -Role FrontEnd -Thumbprint $new.Thumbprint -EffectiveDate (Get-Date).AddSeconds(2) -TrustAnchorPath $pebble.RootPath -StorePath $store
        Start-Sleep -Milliseconds 2500
        Update-OcsCertificate -WhatIf -StorePath $store -InformationAction Ignore 6>$null
        (Get-OcsCertificateBinding -Role FrontEnd -StorePath $store).Thumbprint | Should -Be $old.Thumbprint -Because '-WhatIf changes nothing'
        $null = Update-OcsCertificate -StorePath $store
        (Get-OcsCertificateBinding -Role FrontEnd -StorePath $store).Thumbprint | Should -Be $new.Thumbprint
    }

    It 'reports an imported certificate as "renew by hand" without stopping the others' {
        $ca = New-OcsTestCa
        try {
            $key = Join-Path $work 'imported.key'; $cer = Join-Path $work 'imported.cer'; $pfx = Join-Path $work 'imported.pfx'
            Set-Content (Join-Path $work 'imported.cnf') "subjectAltName=DNS:pool01.contoso.com`nextendedKeyUsage=serverAuth,clientAuth"
            & openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj '/CN=pool01.contoso.com' -keyout $key -out "$cer.req" 2>$null
            & openssl x509 -req -in "$cer.req" -CA (Join-Path $ca 'issuing.pem') -CAkey (Join-Path $ca 'issuing.key') -CAcreateserial -days 30 -extfile (Join-Path $work 'imported.cnf') -out $cer 2>$null
            & openssl pkcs12 -export -inkey $key -in $cer -certfile (Join-Path $ca 'issuing.pem') -passout pass:Imported-1 -out $pfx 2>$null
            $imported = Import-OcsCertificate -Path $pfx -Password (ConvertTo-SecureString 'Imported-1' -AsPlainText -Force) -StorePath $store
            Set-OcsCertificate -Role WebConferencing -Thumbprint $imported.Thumbprint -PoolFqdn pool01.contoso.com -TrustAnchorPath (Join-Path $ca 'root.pem') -StorePath $store | Out-Null
            $old = New-BoundCertificate $store

            $results = Update-OcsCertificate -Force -StorePath $store -ErrorVariable failures -ErrorAction SilentlyContinue
            @($failures) | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'NoRequestProfile,Update-OcsCertificate'
            $failures[0].TargetObject.Outcome | Should -Be 'RenewByHand'
            $results.Outcome | Should -Be 'Renewed' -Because 'the other certificate was renewed all the same'
            (Get-OcsCertificateBinding -Role FrontEnd -StorePath $store).PreviousThumbprint | Should -Be $old.Thumbprint
        }
        finally { Remove-Item -Recurse -Force $ca -ErrorAction SilentlyContinue }
    }
}
