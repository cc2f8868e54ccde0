# Listing role assignments, with a root -> issuing CA chain made by the openssl CLI.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force; Import-OcsTestModule
    $ca = New-OcsTestCa
    $root = Join-Path $ca 'root.pem'

    # Requests, has the issuing CA sign, completes with a PEM chain (leaf + issuing); returns the installed certificate.
    function New-TestCertificate([string] $Store, [string] $Name) {
        $arguments = Get-OcsTestRequestArguments
        $null = New-OcsCertificateRequest @arguments -OutFile (Join-Path $Store "$Name.req") -StorePath $Store
        & openssl x509 -req -in (Join-Path $Store "$Name.req") -CA (Join-Path $ca 'issuing.pem') -CAkey (Join-Path $ca 'issuing.key') `
            -CAcreateserial -days 10 -copy_extensions copy -out (Join-Path $Store "$Name.cer") 2>$null
        if ($LASTEXITCODE -ne 0) { throw 'the test CA could not sign' }
        $chain = (Get-Content -Raw (Join-Path $Store "$Name.cer")) + (Get-Content -Raw (Join-Path $ca 'issuing.pem'))
        Set-Content -LiteralPath (Join-Path $Store "$Name.chain.pem") -Value $chain -NoNewline
        Complete-OcsCertificateRequest -Path (Join-Path $Store "$Name.chain.pem") -StorePath $Store
    }
}
AfterAll { Remove-Item -Recurse -Force $ca -ErrorAction SilentlyContinue }

Describe 'Get-OcsCertificateBinding' {
    BeforeEach {
        $store = New-OcsTestStore
        $null = New-Item -ItemType Directory -Force $store
    }
    AfterEach {
        Remove-Item -LiteralPath $store -Recurse -Force -ErrorAction SilentlyContinue
        $env:OCSCERT_STORE = $null
    }

    It 'returns nothing for an empty store' {
        @(Get-OcsCertificateBinding -StorePath $store -WarningVariable warnings) | Should -HaveCount 0
        @(Get-OcsCertificateBinding -Role FrontEnd -StorePath $store) | Should -HaveCount 0
        @($warnings) | Should -HaveCount 0
    }

    It 'returns nothing for a store that does not exist, with a warning naming it' {
        $missing = Join-Path $store 'typo-store'
        $result = Get-OcsCertificateBinding -StorePath $missing -WarningVariable warnings -WarningAction SilentlyContinue -ErrorVariable problems
        $result | Should -BeNullOrEmpty
        $problems | Should -BeNullOrEmpty
        @($warnings) | Should -HaveCount 1
        "$($warnings[0])" | Should -BeExactly "The store '$missing' does not exist; it holds no role bindings."
        Test-Path -LiteralPath $missing | Should -BeFalse
    }

    It 'refuses a file given as the store (StoreNotAFolder, StorePath)' {
        $file = Join-Path $store 'store.pem'
        Set-Content -LiteralPath $file -Value 'not a store'
        $err = { Get-OcsCertificateBinding -StorePath $file } | Should -Throw -ErrorId 'StoreNotAFolder,Get-OcsCertificateBinding' -PassThru
        $err.Exception.Message | Should -BeLike "StorePath: The store path '$file' is a file, not a folder; give a folder*"
    }

    Context 'after assignments' {
        BeforeEach {
            $first = New-TestCertificate $store 'first'
            $second = New-TestCertificate $store 'second'
            $start = [datetime]::UtcNow.AddSeconds(-2)
            $null = Set-OcsCertificate -Role FrontEnd, WebConferencing, AudioVideo -Thumbprint $first.Thumbprint -TrustAnchorPath $root -StorePath $store
            $null = Set-OcsCertificate -Role FrontEnd -Thumbprint $second.Thumbprint -TrustAnchorPath $root -StorePath $store
            $end = [datetime]::UtcNow.AddSeconds(2)
        }

        It 'lists each role with its certificate, Since, NotAfter and PreviousThumbprint' {
            $bindings = @(Get-OcsCertificateBinding -StorePath $store)
            $bindings | Should -HaveCount 3
            @($bindings.Role | Sort-Object) | Should -Be @('AudioVideo', 'FrontEnd', 'WebConferencing')
            foreach ($binding in $bindings) {
                $binding.PSObject.TypeNames[0] | Should -Be 'OcsCertificate.CertificateBinding'
                $binding.Issuer | Should -Be 'CN=Test-Issuing'
                $binding.Since | Should -BeOfType [datetime]
                $binding.Since.Kind | Should -Be 'Utc'
                $binding.Since | Should -BeGreaterOrEqual $start
                $binding.Since | Should -BeLessOrEqual $end
                $binding.LivePath | Should -Be (Join-Path $store "live/$($binding.Role)")
                Join-Path $binding.LivePath 'fullchain.pem' | Should -Exist
            }
            $frontEnd = $bindings | Where-Object Role -EQ 'FrontEnd'
            $frontEnd.Thumbprint | Should -Be $second.Thumbprint
            $frontEnd.SerialNumber | Should -Be $second.SerialNumber
            $frontEnd.Subject | Should -Be $second.Subject
            $frontEnd.NotAfter | Should -Be $second.NotAfter
            $frontEnd.NotAfter.Kind | Should -Be 'Utc'
            $frontEnd.PreviousThumbprint | Should -Be $first.Thumbprint
            $frontEnd.PreviousSince | Should -BeLessOrEqual $frontEnd.Since
            foreach ($role in 'WebConferencing', 'AudioVideo') {
                $binding = $bindings | Where-Object Role -EQ $role
                $binding.Thumbprint | Should -Be $first.Thumbprint
                $binding.NotAfter | Should -Be $first.NotAfter
                $binding.PreviousThumbprint | Should -BeNullOrEmpty
                $binding.PreviousSince | Should -BeNullOrEmpty
            }
        }

        It '-Role keeps only the roles named (also by position)' {
            @(Get-OcsCertificateBinding -Role FrontEnd -StorePath $store).Role | Should -Be @('FrontEnd')
            @(Get-OcsCertificateBinding AudioVideo -StorePath $store).Role | Should -Be @('AudioVideo')
            @(Get-OcsCertificateBinding -Role FrontEnd, AudioVideo -StorePath $store).Role | Sort-Object | Should -Be @('AudioVideo', 'FrontEnd')
        }

        It 'takes StorePath from the pipeline by property name' {
            $env:OCSCERT_STORE = $null
            @($first | Get-OcsCertificateBinding -Role FrontEnd).Thumbprint | Should -Be @($second.Thumbprint)
        }

        It 'shows bindings with their view' {
            $text = Get-OcsCertificateBinding -Role FrontEnd -StorePath $store | Out-String -Width 200
            $text | Should -Match '(?m)^Role\s+Thumbprint\s+Since \(UTC\)\s+NotAfter \(UTC\)\s+Issued by\s*$'
            $text | Should -BeLike "*FrontEnd*$($second.Thumbprint)*Test-Issuing*"
        }

        It 'survives remoting serialisation as Deserialized.OcsCertificate.CertificateBinding' {
            $binding = Get-OcsCertificateBinding -Role FrontEnd -StorePath $store
            $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($binding))
            $copy.PSObject.TypeNames[0] | Should -BeExactly 'Deserialized.OcsCertificate.CertificateBinding'
            foreach ($property in 'Role', 'Thumbprint', 'Subject', 'Issuer', 'SerialNumber', 'NotAfter', 'Since', 'PreviousThumbprint', 'PreviousSince', 'LivePath') {
                $copy.$property | Should -Be $binding.$property -Because "$property survives serialisation"
            }
            ($copy | Out-String -Width 200) | Should -BeLike '*Since (UTC)*'
        }
    }
}
