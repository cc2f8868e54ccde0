# Request-OcsPoolCertificate against real members: network namespaces with their own sshd, host name and
# store, reached over PowerShell's SSH remoting; Pebble validating http-01 against the members by name.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PoolTestHelpers.psm1') -Force
    # The pool name resolves to fe01 only: the CA's checks for it all land there. fe04 lacks the module.
    $test = New-OcsTestPool -Member fe01, fe02, fe03, fe04 -WithoutModule fe04 -PoolAddressOf fe01 -PoolMember fe01, fe02, fe03
    $lab, $folder, $pool, $connect = $test.Lab, $test.Folder, $test.Pool, $test.Connect

    # What a member's own store says (over its own session, as an admin would look).
    function Get-MemberBinding([string] $Fqdn) {
        $s = New-PSSession -HostName $Fqdn @connect
        try { Invoke-Command -Session $s { Get-OcsCertificateBinding | Select-Object Role, Thumbprint } }
        finally { Remove-PSSession $s }
    }
}

AfterAll { Remove-OcsTestPool $test }

Describe 'Request-OcsPoolCertificate' {
    It 'issues and assigns every member in one command, though the pool name resolves to one member only' {
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $results = @(Request-OcsPoolCertificate -Pool $pool -Assign -ErrorVariable failures -InformationVariable summary)
        Write-Host ("TIMING 3 members issued and assigned: {0:n1} s" -f $watch.Elapsed.TotalSeconds)
        $failures | Should -BeNullOrEmpty
        $results.Count | Should -Be 3
        $results | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'OcsCertificate.PoolMemberResult' }
        $results.Status | Sort-Object -Unique | Should -Be 'Succeeded'
        ($results.Thumbprint | Sort-Object -Unique).Count | Should -Be 3  # each its own key and certificate
        ($results | Where-Object Member -eq 'fe02.contoso.test').PSComputerName | Should -Be 'fe02.contoso.test'
        "$summary" | Should -Match '3 of 3 members got a certificate'
        foreach ($r in $results) {
            $bound = Get-MemberBinding $r.Member | Where-Object Role -eq 'FrontEnd'
            $bound.Thumbprint | Should -Be $r.Thumbprint
        }
        # In parallel: the members' work overlapped.
        $first = $results | Sort-Object Finished | Select-Object -First 1
        @($results | Where-Object { $_.Started -lt $first.Finished }).Count | Should -BeGreaterThan 1
    }

    It 'keeps at most -ThrottleLimit members working at once' {
        $results = @(Request-OcsPoolCertificate -Pool $pool -ThrottleLimit 1 -Member fe02, fe03 -ErrorVariable failures)
        $failures | Should -BeNullOrEmpty
        $results.Status | Should -Be @('Succeeded', 'Succeeded')
        $ordered = $results | Sort-Object Started
        $ordered[1].Started | Should -BeGreaterOrEqual $ordered[0].Finished
    }

    It 'reports a member without the module, and copies it there with -InstallModule' {
        $definition = Write-OcsPoolDefinition -Lab $lab -Path (Join-Path $folder 'with-fe04.psd1') -Member fe01, fe04
        $results = @(Request-OcsPoolCertificate -Pool $definition -Member fe04 -ErrorVariable failures -ErrorAction SilentlyContinue)
        $results.Status | Should -Be 'ModuleMissing'
        $failures[0].FullyQualifiedErrorId | Should -Match '^ModuleMissing'
        $failures[0].TargetObject | Should -Be 'fe04.contoso.test'
        "$($failures[0])" | Should -Match '-InstallModule'

        $results = @(Request-OcsPoolCertificate -Pool $definition -Member fe04 -InstallModule -ErrorVariable failures)
        $failures | Should -BeNullOrEmpty
        $results.Status | Should -Be 'Succeeded'
        $fe04 = $lab.Members | Where-Object Name -eq 'fe04'
        Get-ChildItem -Recurse -Filter OcsCertificate.psd1 (Split-Path $fe04.StorePath) | Should -Not -BeNullOrEmpty
    }

    It 'names the member whose CA call fails and finishes the others' {
        # fe03 has its own CA setting in the definition, and nothing answers there.
        $definition = Write-OcsPoolDefinition -Lab $lab -Path (Join-Path $folder 'fe03-own-ca.psd1') -Member fe01, fe02, fe03 `
            -MemberRequest @{ fe03 = "CA = 'acme:https://$($lab.AdminAddress):1/dir'" }
        $results = @(Request-OcsPoolCertificate -Pool $definition -Member fe02, fe03 -ErrorVariable failures -ErrorAction SilentlyContinue)
        ($results | Where-Object Member -eq 'fe02.contoso.test').Status | Should -Be 'Succeeded'
        $fe03 = $results | Where-Object Member -eq 'fe03.contoso.test'
        $fe03.Status | Should -Be 'Failed'
        $fe03.ErrorId | Should -BeIn @("CaUnreachable", "CaTransportFailure", "CaTlsFailure")
        Write-Host "fe03: $($fe03.ErrorId): $($fe03.Error)"
        @($failures).Count | Should -Be 1
        $failures[0].TargetObject | Should -Be 'fe03.contoso.test'
        "$($failures[0])" | Should -Match '^fe03\.contoso\.test: '
    }

    It 'names a member that is down and finishes the others' {
        Stop-OcsPoolHost -Lab $lab -Member fe03
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $results = @(Request-OcsPoolCertificate -Pool $pool -ConnectingTimeoutSeconds 15 -ErrorVariable failures -ErrorAction SilentlyContinue -InformationVariable summary)
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 120
        ($results | Where-Object Member -ne 'fe03.contoso.test').Status | Should -Be @('Succeeded', 'Succeeded')
        $down = $results | Where-Object Member -eq 'fe03.contoso.test'
        $down.Status | Should -Be 'Unreachable'
        $failures.FullyQualifiedErrorId | Should -Match '^MemberUnreachable'
        "$summary" | Should -Match '2 of 3 members got a certificate\. Not done: fe03\.contoso\.test \(Unreachable\)'
    }

    It 'under $ErrorActionPreference = Stop, finishes the others and blames only the member that is down' {
        # A script's preference reaches the pipeline that opens the sessions (fe03 is still down): its
        # failure there must neither leave the others without a session nor be reported as theirs.
        $ErrorActionPreference = 'Stop'
        $caught = $null
        try { $null = Request-OcsPoolCertificate -Pool $pool -ConnectingTimeoutSeconds 15 -OutVariable results -InformationAction Ignore }
        catch { $caught = $_ }
        # Stop ends the command at the first error it writes, which comes after every member's result.
        $caught.FullyQualifiedErrorId | Should -Match '^MemberUnreachable'
        $caught.TargetObject | Should -Be 'fe03.contoso.test'
        ($results | Where-Object Member -ne 'fe03.contoso.test').Status | Should -Be @('Succeeded', 'Succeeded')
        ($results | Where-Object Member -eq 'fe03.contoso.test').Status | Should -Be 'Unreachable'
    }
}
