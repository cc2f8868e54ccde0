# Assigning installed certificates to roles, with a root -> issuing CA chain made by
# the openssl CLI (as tests/native/binding/binding_test.cpp does): every check that
# refuses, the live folders, -WhatIf, the pipeline and roll-back.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force; Import-OcsTestModule
    $ca = New-OcsTestCa
    $root = Join-Path $ca 'root.pem'
    Set-Content (Join-Path $ca 'server-only.cnf') "subjectAltName=DNS:pool01.contoso.com`nextendedKeyUsage=serverAuth"
    Set-Content (Join-Path $ca 'client-only.cnf') "subjectAltName=DNS:pool01.contoso.com`nextendedKeyUsage=clientAuth"

    # Requests, has the issuing CA sign (with $Sign, openssl x509 options), completes with a
    # PEM chain (leaf + issuing, or the leaf alone with -NoChain); returns the thumbprint.
    function New-TestCertificate([string] $Store, [string] $Name, [string[]] $Sign = @('-days', '10', '-copy_extensions', 'copy'), [switch] $NoChain) {
        $arguments = Get-OcsTestRequestArguments
        $null = New-OcsCertificateRequest @arguments -OutFile (Join-Path $Store "$Name.req") -StorePath $Store
        & openssl x509 -req -in (Join-Path $Store "$Name.req") -CA (Join-Path $ca 'issuing.pem') -CAkey (Join-Path $ca 'issuing.key') `
            -CAcreateserial @Sign -out (Join-Path $Store "$Name.cer") 2>$null
        if ($LASTEXITCODE -ne 0) { throw 'the test CA could not sign' }
        $chain = Get-Content -Raw (Join-Path $Store "$Name.cer")
        if (-not $NoChain) { $chain += Get-Content -Raw (Join-Path $ca 'issuing.pem') }
        Set-Content -LiteralPath (Join-Path $Store "$Name.chain.pem") -Value $chain -NoNewline
        (Complete-OcsCertificateRequest -Path (Join-Path $Store "$Name.chain.pem") -StorePath $Store).Thumbprint
    }
}
AfterAll { Remove-Item -Recurse -Force $ca -ErrorAction SilentlyContinue }

Describe 'Set-OcsCertificate' {
    BeforeEach {
        $store = New-OcsTestStore
        $null = New-Item -ItemType Directory -Force $store
        $good = New-TestCertificate $store 'good'
    }
    AfterEach {
        Remove-Item -LiteralPath $store -Recurse -Force -ErrorAction SilentlyContinue
        $env:OCSCERT_STORE = $null
    }

    It 'assigns FrontEnd, WebConferencing and AudioVideo and services find certificate and key in LivePath' {
        $roles = 'FrontEnd', 'WebConferencing', 'AudioVideo'
        $bindings = @(Set-OcsCertificate -Role $roles -Thumbprint $good -TrustAnchorPath $root -StorePath $store)
        $bindings | Should -HaveCount 3
        @($bindings.Role) | Should -Be $roles
        $fingerprint = ((& openssl x509 -in (Join-Path $store 'good.cer') -noout -fingerprint -sha1) -replace '^.*=' -replace ':').ToUpperInvariant()
        foreach ($binding in $bindings) {
            $binding.PSObject.TypeNames[0] | Should -Be 'OcsCertificate.CertificateBinding'
            $binding.Thumbprint | Should -Be $good
            $binding.Thumbprint | Should -Be $fingerprint
            $binding.Issuer | Should -Be 'CN=Test-Issuing'
            $binding.SerialNumber | Should -Not -BeNullOrEmpty
            $binding.PreviousThumbprint | Should -BeNullOrEmpty
            $binding.LivePath | Should -Be (Join-Path $store "live/$($binding.Role)")
            Join-Path $binding.LivePath 'cert.pem' | Should -Exist
            Join-Path $binding.LivePath 'key.pem' | Should -Exist
            (& stat -c '%a' (Join-Path $binding.LivePath 'key.pem')) | Should -Be '600'
            # What a service would do: the live certificate and key belong together.
            $certKey = & openssl x509 -in (Join-Path $binding.LivePath 'cert.pem') -noout -pubkey
            $privateKey = & openssl pkey -in (Join-Path $binding.LivePath 'key.pem') -pubout
            ($certKey -join "`n") | Should -Be ($privateKey -join "`n")
        }
        @(Get-OcsCertificateBinding -StorePath $store) | Should -HaveCount 3
    }

    It 'takes Thumbprint and StorePath from Get-OcsCertificate in the pipeline' {
        $env:OCSCERT_STORE = $null  # only the piped StorePath names the store
        $binding = Get-OcsCertificate -Thumbprint $good -StorePath $store | Set-OcsCertificate -Role FrontEnd -TrustAnchorPath $root
        $binding.Role | Should -Be 'FrontEnd'
        $binding.Thumbprint | Should -Be $good
        (Get-OcsCertificateBinding -Role FrontEnd -StorePath $store).Thumbprint | Should -Be $good
    }

    It 'assigns each certificate piped in turn: the last stays, the one before is Previous' {
        $null = New-TestCertificate $store 'second'
        $bindings = @(Get-OcsCertificate -StorePath $store | Set-OcsCertificate -Role FrontEnd -TrustAnchorPath $root)
        $bindings | Should -HaveCount 2
        $bindings[0].Thumbprint | Should -Not -Be $bindings[1].Thumbprint
        $bindings[1].PreviousThumbprint | Should -Be $bindings[0].Thumbprint
        (Get-OcsCertificateBinding -Role FrontEnd -StorePath $store).Thumbprint | Should -Be $bindings[1].Thumbprint
    }

    # Role names are accepted in any case (the native side matches them so and binds
    # 'FrontEnd'), so the object returned must name the role and its live folder as
    # Get-OcsCertificateBinding does; on a case-sensitive file system live/frontend does not exist.
    It 'a role typed in another case returns the role''s own name and a LivePath that exists' {
        $binding = Set-OcsCertificate -Role frontend -Thumbprint $good -TrustAnchorPath $root -StorePath $store
        (Get-OcsCertificateBinding -StorePath $store).Role | Should -BeExactly 'FrontEnd'
        $binding.Role | Should -BeExactly 'FrontEnd'
        $binding.LivePath | Should -BeExactly (Get-OcsCertificateBinding -StorePath $store).LivePath
        Join-Path $binding.LivePath 'cert.pem' | Should -Exist
    }

    It 'a role named twice is assigned once, without errors' {
        $errors = $null
        $bindings = @(Set-OcsCertificate -Role FrontEnd, FrontEnd -Thumbprint $good -TrustAnchorPath $root -StorePath $store -ErrorVariable errors -ErrorAction SilentlyContinue)
        @($errors) | Should -HaveCount 0 -Because (@($errors) -join '; ')
        @($bindings.Role | Select-Object -Unique) | Should -Be @('FrontEnd')
        (Get-OcsCertificateBinding -StorePath $store).Thumbprint | Should -Be $good
    }

    It '-WhatIf changes nothing' {
        $output = Set-OcsCertificate -Role FrontEnd, AudioVideo -Thumbprint $good -TrustAnchorPath $root -StorePath $store -WhatIf
        $output | Should -BeNullOrEmpty
        @(Get-OcsCertificateBinding -StorePath $store) | Should -HaveCount 0
        Join-Path $store 'live/FrontEnd/cert.pem' | Should -Not -Exist
    }

    Context 'refusals' {
        BeforeEach {
            $null = Set-OcsCertificate -Role FrontEnd -Thumbprint $good -TrustAnchorPath $root -StorePath $store
        }

        It 'refuses <Case> with ErrorId <Check>CheckFailed and the binding stays' -ForEach @(
            @{ Case = 'an expired certificate'; Check = 'Validity'; Words = '*Expired*'
                Sign = { param($ca) '-days', '-1', '-copy_extensions', 'copy' }; NoChain = $false; Imported = $true }
            @{ Case = 'a certificate without serverAuth'; Check = 'ServerAuthentication'; Words = '*lacks ServerAuthentication*'
                Sign = { param($ca) '-days', '10', '-extfile', (Join-Path $ca 'client-only.cnf') }; NoChain = $false; Imported = $true }
            @{ Case = 'a certificate without clientAuth'; Check = 'ClientAuthentication'; Words = '*lacks ClientAuthentication*mutual TLS*'
                Sign = { param($ca) '-days', '10', '-extfile', (Join-Path $ca 'server-only.cnf') }; NoChain = $false; Imported = $true }
            @{ Case = 'a chain without the issuing CA'; Check = 'Chain'; Words = "*'CN=Test-Issuing'*"
                Sign = { param($ca) '-days', '10', '-copy_extensions', 'copy' }; NoChain = $true }
        ) {
            # Complete-OcsCertificateRequest refuses an expired answer, or one without the usages the request
            # asked for: those come as an existing PFX, which asked for nothing.
            $bad = if ($Imported) { Import-OcsTestCertificate $store $ca 'bad' -Sign (& $Sign $ca) }
                   else { New-TestCertificate $store 'bad' -Sign (& $Sign $ca) -NoChain:$NoChain }
            $err = { Set-OcsCertificate -Role FrontEnd -Thumbprint $bad -TrustAnchorPath $root -StorePath $store } |
                Should -Throw -ErrorId "${Check}CheckFailed,Set-OcsCertificate" -PassThru
            $err.Exception.Message | Should -BeLike "Thumbprint: Not assigned: the $Check check failed for $bad*"
            $err.Exception.Message | Should -BeLike $Words
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            (Get-OcsCertificateBinding -Role FrontEnd -StorePath $store).Thumbprint | Should -Be $good
            (& openssl x509 -in (Join-Path $store 'live/FrontEnd/cert.pem') -noout -serial) | Should -Be (& openssl x509 -in (Join-Path $store 'good.cer') -noout -serial)
        }

        It 'refuses a chain to a root that is not trusted: ChainCheckFailed naming the root' {
            $other = New-TestCertificate $store 'other'
            $noRoots = Join-Path $store 'no-roots.pem'
            Set-Content -LiteralPath $noRoots -Value ''
            $err = { Set-OcsCertificate -Role FrontEnd -Thumbprint $other -TrustAnchorPath $noRoots -StorePath $store } |
                Should -Throw -ErrorId 'ChainCheckFailed,Set-OcsCertificate' -PassThru
            $err.Exception.Message | Should -BeLike "*'CN=Test-Root'*"
            (Get-OcsCertificateBinding -Role FrontEnd -StorePath $store).Thumbprint | Should -Be $good
        }

        It 'without -TrustAnchorPath trusts what the role was assigned with before' {
            $other = New-TestCertificate $store 'other'
            (Set-OcsCertificate -Role FrontEnd -Thumbprint $other -StorePath $store).Thumbprint | Should -Be $other
        }

        It 'refuses names the pool needs but the certificate lacks (-PoolFqdn): NamesCheckFailed' {
            $err = { Set-OcsCertificate -Role FrontEnd -Thumbprint $good -PoolFqdn pool02.contoso.com -TrustAnchorPath $root -StorePath $store } |
                Should -Throw -ErrorId 'NamesCheckFailed,Set-OcsCertificate' -PassThru
            $err.Exception.Message | Should -BeLike '*pool02.contoso.com*'
            (Get-OcsCertificateBinding -Role FrontEnd -StorePath $store).Thumbprint | Should -Be $good
            @(Get-OcsCertificateBinding -StorePath $store) | Should -HaveCount 1
        }

        It 'an unknown thumbprint is CertificateNotFound' {
            $err = { Set-OcsCertificate -Role FrontEnd -Thumbprint ('A' * 40) -TrustAnchorPath $root -StorePath $store } |
                Should -Throw -ErrorId 'CertificateNotFound,Set-OcsCertificate' -PassThru
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            (Get-OcsCertificateBinding -Role FrontEnd -StorePath $store).Thumbprint | Should -Be $good
        }

        It 'refuses the Web Components role, which is IIS''s job' {
            $err = { Set-OcsCertificate -Role WebComponents -Thumbprint $good -TrustAnchorPath $root -StorePath $store } |
                Should -Throw -ErrorId 'WebComponentsNotSupported,Set-OcsCertificate' -PassThru
            $err.Exception.Message | Should -BeLike '*IIS*'
            @(Get-OcsCertificateBinding -StorePath $store).Role | Should -Be @('FrontEnd')
        }
    }

    Context '-Previous' {
        It 'records what a change replaced and rolls back to it' {
            $second = New-TestCertificate $store 'second'
            $null = Set-OcsCertificate -Role FrontEnd, AudioVideo -Thumbprint $good -TrustAnchorPath $root -StorePath $store
            $after = Set-OcsCertificate -Role FrontEnd -Thumbprint $second -TrustAnchorPath $root -StorePath $store
            $after.Thumbprint | Should -Be $second
            $after.PreviousThumbprint | Should -Be $good
            $after.PreviousSince | Should -BeOfType [datetime]
            (Get-OcsCertificateBinding -Role AudioVideo -StorePath $store).Thumbprint | Should -Be $good  # untouched role kept

            $back = Set-OcsCertificate -Role FrontEnd -Previous -TrustAnchorPath $root -StorePath $store
            $back.Role | Should -Be 'FrontEnd'
            $back.Thumbprint | Should -Be $good
            $back.PreviousThumbprint | Should -Be $second
            (Get-OcsCertificateBinding -Role FrontEnd -StorePath $store).Thumbprint | Should -Be $good
            (& openssl x509 -in (Join-Path $store 'live/FrontEnd/cert.pem') -noout -serial) | Should -Be (& openssl x509 -in (Join-Path $store 'good.cer') -noout -serial)
        }

        It 'rolls back the roles piped from Get-OcsCertificateBinding (Role by property name)' {
            $second = New-TestCertificate $store 'second'
            $null = Set-OcsCertificate -Role FrontEnd, AudioVideo -Thumbprint $good -TrustAnchorPath $root -StorePath $store
            $null = Set-OcsCertificate -Role FrontEnd, AudioVideo -Thumbprint $second -TrustAnchorPath $root -StorePath $store
            $back = @(Get-OcsCertificateBinding -StorePath $store | Set-OcsCertificate -Previous -TrustAnchorPath $root -Confirm:$false)
            $back.Role | Sort-Object | Should -Be @('AudioVideo', 'FrontEnd')
            $back.Thumbprint | Sort-Object -Unique | Should -Be $good
        }

        It 'with nothing assigned before is NoPreviousBinding' {
            { Set-OcsCertificate -Role FrontEnd -Previous -TrustAnchorPath $root -StorePath $store } |
                Should -Throw -ErrorId 'NoPreviousBinding,Set-OcsCertificate'
            $null = Set-OcsCertificate -Role FrontEnd -Thumbprint $good -TrustAnchorPath $root -StorePath $store
            { Set-OcsCertificate -Role FrontEnd -Previous -TrustAnchorPath $root -StorePath $store } |
                Should -Throw -ErrorId 'NoPreviousBinding,Set-OcsCertificate'
            (Get-OcsCertificateBinding -Role FrontEnd -StorePath $store).Thumbprint | Should -Be $good
        }
    }
}
