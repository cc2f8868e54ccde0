# Update-OcsPool on short-lived certificates from the lab's Pebble: nothing due right after issuance,
# then a rolling renewal one member at a time, each new certificate switched in only after it passed
# mutual TLS with the others; a member whose new certificate cannot be proven keeps the old one.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PoolTestHelpers.psm1') -Force
    # Certificates live 120 s: due (1/2 of the lifetime, less a spread of up to 1/20) 54-60 s after issuance.
    $test = New-OcsTestPool -Member fe01, fe02, fe03 -ValiditySeconds 120
    $lab, $folder, $pool, $connect = $test.Lab, $test.Folder, $test.Pool, $test.Connect

    $issued = @(Request-OcsPoolCertificate -Pool $pool -Assign -ErrorAction Stop)
}

AfterAll { Remove-OcsTestPool $test }

Describe 'Update-OcsPool' {
    It 'renews nothing that is not due' {
        $results = @(Update-OcsPool -Pool $pool -ErrorVariable failures)
        $failures | Should -BeNullOrEmpty
        $results.Status | Sort-Object -Unique | Should -Be 'NotDue'
        $results.NewThumbprint | Where-Object { $_ } | Should -BeNullOrEmpty
    }

    It 'says under -WhatIf which members it would renew, and changes nothing' {
        $results = @(Update-OcsPool -Pool $pool -Force -WhatIf)
        $results | Should -BeNullOrEmpty
        (Test-OcsPool -Pool $pool).Members.Thumbprint | Sort-Object | Should -Be ($issued.Thumbprint | Sort-Object)
    }

    It 'renews what is due one member at a time, each switched in after passing mutual TLS' {
        $due = (Test-OcsPool -Pool $pool).Members.RenewAfter | Sort-Object -Descending | Select-Object -First 1
        $wait = ($due - (Get-Date).ToUniversalTime()).TotalSeconds + 1
        if ($wait -gt 0) { Start-Sleep -Seconds ([Math]::Ceiling($wait)) }
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $results = @(Update-OcsPool -Pool $pool -MaxUnavailable 1 -ErrorVariable failures)
        Write-Host ("TIMING rolling renewal of 3 members: {0:n1} s" -f $watch.Elapsed.TotalSeconds)
        $failures | Should -BeNullOrEmpty
        $results.Count | Should -Be 3
        $results.Status | Sort-Object -Unique | Should -Be 'Renewed'
        foreach ($r in $results) {
            $r.OldThumbprint | Should -Be ($issued | Where-Object Member -eq $r.Member).Thumbprint
            $r.NewThumbprint | Should -Not -Be $r.OldThumbprint
        }
        # One at a time: no two members were between certificates at once.
        $ordered = @($results | Sort-Object Started)
        for ($i = 1; $i -lt $ordered.Count; $i++) { $ordered[$i].Started | Should -BeGreaterOrEqual $ordered[$i - 1].Finished }
        $report = Test-OcsPool -Pool $pool
        $report.Verdict | Should -Be 'Healthy'
        foreach ($m in $report.Members) { $m.Thumbprint | Should -Be ($results | Where-Object Member -eq $m.Member).NewThumbprint }
    }

    It 'keeps the old certificate on a member whose new one cannot be proven against the others' {
        $fe02 = $lab.Members | Where-Object Name -eq 'fe02'
        $s = New-PSSession -HostName $fe02.Fqdn @connect
        try {
            $before = Invoke-Command -Session $s { (Get-OcsCertificateBinding | Where-Object Role -eq 'FrontEnd').Thumbprint }
            # Something that is not the pool's service holds fe02's mutual-TLS port: connections to it never complete a handshake.
            Invoke-Command -Session $s { $global:blocker = [System.Net.Sockets.TcpListener]::new([ipaddress]::Any, 5061); $global:blocker.Start() }
            $results = @(Update-OcsPool -Pool $pool -Member fe02 -Force -ErrorVariable failures -ErrorAction SilentlyContinue)
            $results.Status | Should -Be 'KeptOld'
            $results.NewThumbprint | Should -Not -BeNullOrEmpty
            $results.Detail | Should -Match 'fe02\.contoso\.test'
            $failures[0].FullyQualifiedErrorId | Should -Match '^NewCertificateRefused'
            $after = Invoke-Command -Session $s {
                Get-OcsCertificateBinding | Where-Object Role -eq 'FrontEnd' | Select-Object Thumbprint, ScheduledThumbprint
            }
            $after.Thumbprint | Should -Be $before
            $after.ScheduledThumbprint | Should -BeNullOrEmpty  # the scheduled switch is cancelled too
        }
        finally {
            Invoke-Command -Session $s { if ($global:blocker) { $global:blocker.Stop() } } -ErrorAction SilentlyContinue
            Remove-PSSession $s
        }
    }
}
