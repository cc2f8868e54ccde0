# Test-OcsPool against real members: each member's state read over its session, and the mutual-TLS
# matrix through the responders the command opens on every member.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PoolTestHelpers.psm1') -Force
    $test = New-OcsTestPool -Member fe01, fe02, fe03
    $lab, $folder, $pool = $test.Lab, $test.Folder, $test.Pool

    $issued = @(Request-OcsPoolCertificate -Pool $pool -Assign -ErrorAction Stop)
}

AfterAll { Remove-OcsTestPool $test }

Describe 'Test-OcsPool' {
    It 'finds a healthy pool: every member, every role, every pair' {
        $issued.Status | Sort-Object -Unique | Should -Be 'Succeeded'
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $report = Test-OcsPool -Pool $pool
        Write-Host ("TIMING Test-OcsPool on 3 members: {0:n1} s" -f $watch.Elapsed.TotalSeconds)
        $report.PSObject.TypeNames[0] | Should -Be 'OcsCertificate.PoolReport'
        $report.Problems | Should -BeNullOrEmpty
        $report.Verdict | Should -Be 'Healthy'
        $report.Members.Count | Should -Be 3
        foreach ($m in $report.Members) {
            $m.Thumbprint | Should -Be ($issued | Where-Object Member -eq $m.Member).Thumbprint
            $m.CarriesPoolName | Should -BeTrue
            $m.ChainTrusted | Should -BeTrue
            $m.NotAfter | Should -BeGreaterThan (Get-Date).ToUniversalTime()
            $m.RenewAfter | Should -BeLessThan $m.NotAfter
            [Math]::Abs($m.ClockOffsetSeconds) | Should -BeLessThan 5
            $m.ModuleVersion | Should -Be (Get-Module OcsCertificate).Version.ToString()
        }
        # Six ordered pairs, all through the responders (no service runs here).
        $report.Matrix.Count | Should -Be 6
        $report.Matrix | Where-Object { -not $_.Passed } | Should -BeNullOrEmpty
        $report.Matrix.Against | Sort-Object -Unique | Should -Be 'Responder'
        # No renewal job registered yet: a warning, not a failure.
        $report.Warnings.Count | Should -Be 3
        # At a glance in a terminal: the verdict and the grid.
        $text = $report | Out-String -Width 160
        $text | Should -Match 'Pool pool01\.contoso\.test: HEALTHY\s+6 of 6 mutual-TLS handshakes passed'
        $text | Should -Match 'fe01\s+-\s+ok\s+ok'
    }

    It 'names the member whose certificate comes from a CA the others do not trust' {
        # fe03 gets a certificate for the same names from another CA (openssl), trusted by fe03 only.
        $other = New-OcsTestCa
        $fe03 = $lab.Members | Where-Object Name -eq 'fe03'
        $connect = $test.Connect
        $requestFile = Join-Path $folder 'fe03.req'
        $s = New-PSSession -HostName $fe03.Fqdn @connect
        try {
            $null = Invoke-Command -Session $s {
                New-OcsCertificateRequest -PoolFqdn pool01.contoso.test -SipDomain contoso.test -MachineFqdn fe03.contoso.test -Organization Contoso -Country US -State Washington -City Redmond -OutFile $using:requestFile
            } -ErrorAction Stop
            Set-Content (Join-Path $other 'leaf.cnf') 'extendedKeyUsage=serverAuth,clientAuth'
            & openssl x509 -req -in $requestFile -CA (Join-Path $other 'issuing.pem') -CAkey (Join-Path $other 'issuing.key') -CAcreateserial -days 10 `
                -copy_extensions copy -extfile (Join-Path $other 'leaf.cnf') -out (Join-Path $folder 'fe03.pem') 2>$null
            $LASTEXITCODE | Should -Be 0
            $answer = Join-Path $folder 'fe03-answer.pem'
            Get-Content (Join-Path $folder 'fe03.pem'), (Join-Path $other 'issuing.pem') | Set-Content $answer
            $trustBoth = @((Join-Path $other 'root.pem'), $lab.Ca.RootPath)
            Invoke-Command -Session $s {
                $certificate = Complete-OcsCertificateRequest -Path $using:answer
                Set-OcsCertificate -Role FrontEnd -Thumbprint $certificate.Thumbprint -TrustAnchorPath $using:trustBoth -Confirm:$false | Out-Null
            } -ErrorAction Stop
        }
        finally { Remove-PSSession $s }
        $report = Test-OcsPool -Pool $pool
        $report.Verdict | Should -Be 'Unhealthy'
        $bad = @($report.Matrix | Where-Object { -not $_.Passed })
        # Every pair with fe03 fails, both ways; the others still pass.
        $bad.Count | Should -Be 4
        $bad | ForEach-Object { "$($_.From) $($_.To)" | Should -Match 'fe03' }
        ($report.Matrix | Where-Object { $_.From -eq 'fe01.contoso.test' -and $_.To -eq 'fe03.contoso.test' }).Reason | Should -Match 'not trusted'
        ($report.Matrix | Where-Object { $_.From -eq 'fe03.contoso.test' -and $_.To -eq 'fe01.contoso.test' }).Reason | Should -Match 'fe01.contoso.test refused it'
        $report.Problems -join "`n" | Should -Match 'fe03'
        ($report | Out-String -Width 160) | Should -Match 'UNHEALTHY'
    }
}
