# Checking a role's certificate (or any installed one) check by check, with a
# root -> issuing CA chain made by the openssl CLI.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force; Import-OcsTestModule
    $ca = New-OcsTestCa
    $root = Join-Path $ca 'root.pem'

    # Requests, has the issuing CA sign, completes with a PEM chain (leaf + issuing); returns the thumbprint.
    function New-TestCertificate([string] $Store, [string] $Name) {
        $arguments = Get-OcsTestRequestArguments
        $null = New-OcsCertificateRequest @arguments -OutFile (Join-Path $Store "$Name.req") -StorePath $Store
        & openssl x509 -req -in (Join-Path $Store "$Name.req") -CA (Join-Path $ca 'issuing.pem') -CAkey (Join-Path $ca 'issuing.key') `
            -CAcreateserial -days 10 -copy_extensions copy -out (Join-Path $Store "$Name.cer") 2>$null
        if ($LASTEXITCODE -ne 0) { throw 'the test CA could not sign' }
        $chain = (Get-Content -Raw (Join-Path $Store "$Name.cer")) + (Get-Content -Raw (Join-Path $ca 'issuing.pem'))
        Set-Content -LiteralPath (Join-Path $Store "$Name.chain.pem") -Value $chain -NoNewline
        (Complete-OcsCertificateRequest -Path (Join-Path $Store "$Name.chain.pem") -StorePath $Store).Thumbprint
    }
    $checkNames = @('PrivateKey', 'Validity', 'ServerAuthentication', 'ClientAuthentication', 'Names', 'KeySize', 'Chain')
}
AfterAll { Remove-Item -Recurse -Force $ca -ErrorAction SilentlyContinue }

Describe 'Test-OcsCertificate' {
    BeforeEach {
        $store = New-OcsTestStore
        $null = New-Item -ItemType Directory -Force $store
        $tp = New-TestCertificate $store 'pool01'
    }
    AfterEach {
        Remove-Item -LiteralPath $store -Recurse -Force -ErrorAction SilentlyContinue
        $env:OCSCERT_STORE = $null
    }

    Context 'a role''s certificate' {
        BeforeEach {
            $null = Set-OcsCertificate -Role FrontEnd -Thumbprint $tp -TrustAnchorPath $root -StorePath $store
        }

        It '-Role FrontEnd reports seven checks, all passed with -TrustAnchorPath' {
            $results = @(Test-OcsCertificate -Role FrontEnd -TrustAnchorPath $root -StorePath $store)
            @($results.Check) | Should -Be $checkNames
            foreach ($result in $results) {
                $result.PSObject.TypeNames[0] | Should -Be 'OcsCertificate.CheckResult'
                $result.Passed | Should -BeTrue -Because "$($result.Check): $($result.Detail)"
                $result.Detail | Should -Not -BeNullOrEmpty
                $result.Thumbprint | Should -Be $tp
                $result.Target | Should -Be 'FrontEnd'
            }
            ($results | Where-Object Check -EQ 'Chain').Detail | Should -BeLike "*'CN=Test-Root'*"
        }

        It 'without -TrustAnchorPath it trusts what the role was assigned with' {
            $results = @(Test-OcsCertificate FrontEnd -StorePath $store)
            ($results | Where-Object Check -EQ 'Chain').Passed | Should -BeTrue
        }

        It 'with other trust anchors the Chain check fails naming the root, and the others pass' {
            $empty = Join-Path $store 'no-roots.pem'
            Set-Content -LiteralPath $empty -Value ''
            $results = @(Test-OcsCertificate FrontEnd -TrustAnchorPath $empty -StorePath $store)
            @($results.Check) | Should -Be $checkNames
            $chain = $results | Where-Object Check -EQ 'Chain'
            $chain.Passed | Should -BeFalse
            $chain.Detail | Should -BeLike "*'CN=Test-Root'*"
            @($results | Where-Object { -not $_.Passed }).Check | Should -Be @('Chain')
        }

        It 'with another -PoolFqdn only the Names check fails, naming what is missing' {
            $results = @(Test-OcsCertificate -Role FrontEnd -PoolFqdn pool02.contoso.com -TrustAnchorPath $root -StorePath $store)
            @($results | Where-Object { -not $_.Passed }).Check | Should -Be @('Names')
            ($results | Where-Object Check -EQ 'Names').Detail | Should -BeLike '*pool02.contoso.com*'
        }

        It 'changes nothing' {
            $before = Get-OcsCertificateBinding -Role FrontEnd -StorePath $store
            $null = Test-OcsCertificate -Role FrontEnd -StorePath $store
            $after = Get-OcsCertificateBinding -Role FrontEnd -StorePath $store
            $after.Thumbprint | Should -Be $before.Thumbprint
            $after.Since | Should -Be $before.Since
        }

        It 'shows results with their view and survives serialisation' {
            $results = @(Test-OcsCertificate -Role FrontEnd -TrustAnchorPath $root -StorePath $store)
            ($results | Out-String -Width 200) | Should -Match '(?m)^Check\s+Passed\s+Detail\s*$'
            $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($results[0]))
            $copy.PSObject.TypeNames[0] | Should -BeExactly 'Deserialized.OcsCertificate.CheckResult'
            foreach ($property in 'Check', 'Passed', 'Detail', 'Thumbprint', 'Target') { $copy.$property | Should -Be $results[0].$property }
        }
    }

    It '-Thumbprint checks an installed certificate that no role uses' {
        $results = @(Test-OcsCertificate -Thumbprint $tp -TrustAnchorPath $root -StorePath $store)
        @($results.Check) | Should -Be $checkNames
        @($results | Where-Object { -not $_.Passed }) | Should -HaveCount 0
        @($results.Thumbprint | Select-Object -Unique) | Should -Be @($tp)
        @(Get-OcsCertificateBinding -StorePath $store) | Should -HaveCount 0
    }

    It 'takes Thumbprint and StorePath from Get-OcsCertificate in the pipeline' {
        $env:OCSCERT_STORE = $null
        $results = @(Get-OcsCertificate -Thumbprint $tp -StorePath $store | Test-OcsCertificate -TrustAnchorPath $root)
        $results | Should -HaveCount 7
        @($results.Thumbprint | Select-Object -Unique) | Should -Be @($tp)
    }

    It '-Thumbprint reports an expired certificate''s Validity check as failed' {
        $expired = Import-OcsTestCertificate $store $ca 'expired' -Sign '-days', '-1'
        $validity = Test-OcsCertificate -Thumbprint $expired -TrustAnchorPath $root -StorePath $store | Where-Object Check -EQ 'Validity'
        $validity.Passed | Should -BeFalse
        $validity.Detail | Should -BeLike 'Expired*'
    }

    It 'a role with nothing bound is RoleNotBound' {
        $err = { Test-OcsCertificate -Role AudioVideo -TrustAnchorPath $root -StorePath $store } |
            Should -Throw -ErrorId 'RoleNotBound,Test-OcsCertificate' -PassThru
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.Exception.Message | Should -BeLike 'Role: *AudioVideo*'
    }

    It 'an unknown thumbprint is CertificateNotFound' {
        { Test-OcsCertificate -Thumbprint ('0' * 40) -StorePath $store } | Should -Throw -ErrorId 'CertificateNotFound,Test-OcsCertificate'
    }
}
