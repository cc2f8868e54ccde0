# Importing a PFX (the wizard's "assign an existing certificate"), with PFX files made
# by the openssl CLI (as tests/native/binding/import_export_test.cpp does): what an
# import returns and installs, every refusal leaving the store as it was, and the
# password never showing up anywhere.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force; Import-OcsTestModule
    $ca = Join-Path ([System.IO.Path]::GetTempPath()) ("ocscert-ca-" + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory $ca
    $root = Join-Path $ca 'root.pem'
    & openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj '/CN=Test-Root' -days 30 `
        -keyout (Join-Path $ca 'root.key') -out $root 2>$null
    if ($LASTEXITCODE -ne 0) { throw 'the test root could not be made' }

    # A leaf the root signs, in a PFX with its key and the root (leaf + key + root).
    $secret = 'S3cret-Pfx!pw'
    $password = ConvertTo-SecureString $secret -AsPlainText -Force
    $leaf = Join-Path $ca 'pool.cer'
    $leafKey = Join-Path $ca 'pool.key'
    & openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj '/CN=pool01.contoso.com' `
        -addext 'subjectAltName=DNS:pool01.contoso.com' -addext 'extendedKeyUsage=serverAuth,clientAuth' `
        -keyout $leafKey -out (Join-Path $ca 'pool.req') 2>$null
    & openssl x509 -req -in (Join-Path $ca 'pool.req') -CA $root -CAkey (Join-Path $ca 'root.key') -CAcreateserial -days 10 `
        -copy_extensions copy -out $leaf 2>$null
    $pfx = Join-Path $ca 'pool.pfx'
    & openssl pkcs12 -export -in $leaf -inkey $leafKey -certfile $root -passout "pass:$secret" -out $pfx 2>$null
    if ($LASTEXITCODE -ne 0) { throw 'the test PFX could not be made' }
    $thumbprint = ((& openssl x509 -in $leaf -noout -fingerprint -sha1) -replace '^.*=' -replace ':').ToUpperInvariant()

    # A PFX with the certificate alone, no key.
    $noKeyPfx = Join-Path $ca 'nokey.pfx'
    & openssl pkcs12 -export -nokeys -in $leaf -passout 'pass:x' -out $noKeyPfx 2>$null
    if ($LASTEXITCODE -ne 0) { throw 'the key-less test PFX could not be made' }
    $noKeyPassword = ConvertTo-SecureString 'x' -AsPlainText -Force

    # The same PFX without an integrity MAC (openssl pkcs12 -export -nomac), which Windows refuses too.
    $noMacPfx = Join-Path $ca 'nomac.pfx'
    & openssl pkcs12 -export -nomac -in $leaf -inkey $leafKey -certfile $root -passout "pass:$secret" -out $noMacPfx 2>$null
    if ($LASTEXITCODE -ne 0) { throw 'the MAC-less test PFX could not be made' }

    # Damaged files: the first half of the PFX, and bytes that were never one.
    $bytes = [System.IO.File]::ReadAllBytes($pfx)
    $truncated = Join-Path $ca 'truncated.pfx'
    [System.IO.File]::WriteAllBytes($truncated, $bytes[0..([int]($bytes.Length / 2))])
    $garbage = Join-Path $ca 'garbage.pfx'
    Set-Content -LiteralPath $garbage -Value ('x' * 100) -NoNewline

    function Get-CertificateFolder([string] $Store) {
        @(Get-ChildItem -LiteralPath (Join-Path $Store 'certificates') -Force -ErrorAction SilentlyContinue)
    }
}
AfterAll { Remove-Item -Recurse -Force $ca -ErrorAction SilentlyContinue }

Describe 'Import-OcsCertificate' {
    BeforeEach {
        $store = New-OcsTestStore
    }
    AfterEach {
        Remove-Item -LiteralPath $store -Recurse -Force -ErrorAction SilentlyContinue
        $env:OCSCERT_STORE = $null
    }

    It 'imports certificate, key and chain and returns an OcsCertificate.Certificate' {
        $c = Import-OcsCertificate -Path $pfx -Password $password -StorePath $store
        $c | Should -HaveCount 1
        $c.PSObject.TypeNames[0] | Should -Be 'OcsCertificate.Certificate'
        $c.Thumbprint | Should -BeExactly $thumbprint
        $c.Subject | Should -BeLike '*CN=pool01.contoso.com*'
        $c.Issuer | Should -Be 'CN=Test-Root'
        @($c.AlternativeNames) | Should -Be @('pool01.contoso.com')
        $c.HasPrivateKey | Should -BeTrue
        $c.PrivateKeyExportable | Should -BeFalse
        $c.ChainLength | Should -Be 1  # the root; the leaf is not counted
        $c.RequestId | Should -BeNullOrEmpty
        $c.StorePath | Should -Be $store
        (Get-OcsCertificate -StorePath $store).Thumbprint | Should -Be @($thumbprint)
        # What was installed: the PFX's certificate and the key that belongs to it.
        $folder = Join-Path $store "certificates/$thumbprint"
        (& openssl x509 -in (Join-Path $folder 'cert.pem') -noout -serial) | Should -Be (& openssl x509 -in $leaf -noout -serial)
        $certKey = & openssl x509 -in (Join-Path $folder 'cert.pem') -noout -pubkey
        $privateKey = & openssl pkey -in (Join-Path $folder 'key.pem') -pubout
        ($privateKey -join "`n") | Should -Be ($certKey -join "`n")
        (& openssl x509 -in (Join-Path $folder 'chain.pem') -noout -subject) | Should -BeLike '*CN*=*Test-Root*'
    }

    It 'imports a certificate no role can use, and warns why: <Case>' -ForEach @(
        @{ Case = 'expired'; Extensions = "subjectAltName=DNS:pool01.contoso.com`nextendedKeyUsage=serverAuth,clientAuth"; Days = '-1'; Words = '*expired on*' }
        @{ Case = 'server authentication only'; Extensions = "subjectAltName=DNS:pool01.contoso.com`nextendedKeyUsage=serverAuth"; Days = '10'; Words = '*lacks ClientAuthentication*' }
        @{ Case = 'a CA certificate'; Extensions = "subjectAltName=DNS:pool01.contoso.com`nbasicConstraints=critical,CA:TRUE"; Days = '10'; Words = '*CA certificate*' }
    ) {
        Set-Content (Join-Path $ca 'unfit.cnf') $Extensions
        & openssl x509 -req -in (Join-Path $ca 'pool.req') -CA $root -CAkey (Join-Path $ca 'root.key') -CAcreateserial -days $Days `
            -extfile (Join-Path $ca 'unfit.cnf') -out (Join-Path $ca 'unfit.cer') 2>$null
        & openssl pkcs12 -export -in (Join-Path $ca 'unfit.cer') -inkey $leafKey -passout "pass:$secret" -out (Join-Path $ca 'unfit.pfx') 2>$null
        $c = Import-OcsCertificate -Path (Join-Path $ca 'unfit.pfx') -Password $password -StorePath $store -WarningVariable warned -WarningAction SilentlyContinue
        $c.HasPrivateKey | Should -BeTrue
        @($warned) | Should -HaveCount 1
        "$($warned[0])" | Should -BeLike "$($c.Thumbprint): $Words*Set-OcsCertificate will refuse it for a role."
    }

    It 'warns of nothing for a certificate a role can use' {
        $null = Import-OcsCertificate -Path $pfx -Password $password -StorePath $store -WarningVariable warned
        $warned | Should -BeNullOrEmpty
    }

    It 'makes the key exportable with -PrivateKeyExportable and keeps -FriendlyName' {
        $c = Import-OcsCertificate -Path $pfx -Password $password -PrivateKeyExportable -FriendlyName 'OCS pool01 (imported)' -StorePath $store
        $c.PrivateKeyExportable | Should -BeTrue
        $c.HasPrivateKey | Should -BeTrue
        $c.FriendlyName | Should -BeExactly 'OCS pool01 (imported)'
        $listed = Get-OcsCertificate -Thumbprint $thumbprint -StorePath $store
        $listed.PrivateKeyExportable | Should -BeTrue
        $listed.FriendlyName | Should -BeExactly 'OCS pool01 (imported)'
    }

    It 'writes the key file owner-only (mode 600)' {
        $c = Import-OcsCertificate -Path $pfx -Password $password -StorePath $store
        $key = Join-Path $store "certificates/$($c.Thumbprint)/key.pem"
        $key | Should -Exist
        (& stat -c '%a' $key) | Should -Be '600'
    }

    It 'pipes into Set-OcsCertificate, which assigns it' {
        $env:OCSCERT_STORE = $null  # only the piped StorePath names the store
        $binding = Import-OcsCertificate -Path $pfx -Password $password -StorePath $store | Set-OcsCertificate -Role FrontEnd -TrustAnchorPath $root
        $binding.Role | Should -Be 'FrontEnd'
        $binding.Thumbprint | Should -Be $thumbprint
        (Get-OcsCertificateBinding -Role FrontEnd -StorePath $store).Thumbprint | Should -Be $thumbprint
        Join-Path $store 'live/FrontEnd/key.pem' | Should -Exist
    }

    It 'takes the path from Get-Item (FullName) and a relative path from the current location' {
        (Get-Item -LiteralPath $pfx | Import-OcsCertificate -Password $password -StorePath $store).Thumbprint | Should -Be $thumbprint
        Remove-Item -LiteralPath $store -Recurse -Force
        Push-Location $ca
        try { (Import-OcsCertificate -Path 'pool.pfx' -Password $password -StorePath $store).Thumbprint | Should -Be $thumbprint }
        finally { Pop-Location }
    }

    It 'imports nothing with -WhatIf' {
        $output = Import-OcsCertificate -Path $pfx -Password $password -StorePath $store -WhatIf
        $output | Should -BeNullOrEmpty
        Get-OcsCertificate -StorePath $store | Should -BeNullOrEmpty
        Get-CertificateFolder $store | Should -BeNullOrEmpty
    }

    Context 'refusals' {
        It 'a wrong password is WrongPassword, names -Password without repeating it, and changes nothing' {
            $wrongText = 'Wr0ng-Guess-42'
            $wrong = ConvertTo-SecureString $wrongText -AsPlainText -Force
            $err = { Import-OcsCertificate -Path $pfx -Password $wrong -StorePath $store } |
                Should -Throw -ErrorId 'WrongPassword,Import-OcsCertificate' -PassThru
            $err.Exception.Message | Should -BeLike 'Password:*'
            $err.Exception.Message | Should -Not -BeLike "*$wrongText*"
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            "$($err.TargetObject)" | Should -Not -BeLike "*$wrongText*"
            Get-OcsCertificate -StorePath $store | Should -BeNullOrEmpty
            Get-CertificateFolder $store | Should -BeNullOrEmpty
        }

        It 'a <Case> file is InvalidPfx, naming -Path, and changes nothing' -ForEach @(
            @{ Case = 'truncated'; File = 'truncated.pfx' }
            @{ Case = 'garbage'; File = 'garbage.pfx' }
        ) {
            $err = { Import-OcsCertificate -Path (Join-Path $ca $File) -Password $password -StorePath $store } |
                Should -Throw -ErrorId 'InvalidPfx,Import-OcsCertificate' -PassThru
            $err.Exception.Message | Should -BeLike 'Path:*'
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            Get-OcsCertificate -StorePath $store | Should -BeNullOrEmpty
            Get-CertificateFolder $store | Should -BeNullOrEmpty
        }

        It 'a PFX without a MAC is PfxWithoutMac, not WrongPassword, naming -Path and what would be accepted' {
            # The right password: before, the missing MAC was reported as a wrong one.
            $err = { Import-OcsCertificate -Path $noMacPfx -Password $password -StorePath $store } |
                Should -Throw -ErrorId 'PfxWithoutMac,Import-OcsCertificate' -PassThru
            $err.Exception.Message | Should -BeLike 'Path:*no integrity MAC*'
            $err.Exception.Message | Should -BeLike "*'openssl pkcs12 -export' (without -nomac)*"
            $err.Exception.Message | Should -Not -BeLike "*$secret*"
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            Get-OcsCertificate -StorePath $store | Should -BeNullOrEmpty
            Get-CertificateFolder $store | Should -BeNullOrEmpty
        }

        It 'a PFX with a certificate but no key is NoPrivateKey and changes nothing' {
            $err = { Import-OcsCertificate -Path $noKeyPfx -Password $noKeyPassword -StorePath $store } |
                Should -Throw -ErrorId 'NoPrivateKey,Import-OcsCertificate' -PassThru
            $err.Exception.Message | Should -BeLike 'Path:*'
            Get-OcsCertificate -StorePath $store | Should -BeNullOrEmpty
            Get-CertificateFolder $store | Should -BeNullOrEmpty
        }

        It 'a file that does not exist is refused, naming -Path' {
            $err = { Import-OcsCertificate -Path (Join-Path $ca 'missing.pfx') -Password $password -StorePath $store } |
                Should -Throw -ErrorId 'InvalidPath,Import-OcsCertificate' -PassThru
            $err.Exception.Message | Should -BeLike 'Path:*'
            Get-OcsCertificate -StorePath $store | Should -BeNullOrEmpty
        }

        It 'importing the same PFX twice is AlreadyInstalled and keeps the first import' {
            $first = Import-OcsCertificate -Path $pfx -Password $password -FriendlyName 'first' -StorePath $store
            $err = { Import-OcsCertificate -Path $pfx -Password $password -PrivateKeyExportable -FriendlyName 'second' -StorePath $store } |
                Should -Throw -ErrorId 'AlreadyInstalled,Import-OcsCertificate' -PassThru
            $err.Exception.Message | Should -BeLike "*$($first.Thumbprint)*"
            $err.CategoryInfo.Category | Should -Be 'ResourceExists'
            $listed = @(Get-OcsCertificate -StorePath $store)
            $listed | Should -HaveCount 1
            $listed[0].FriendlyName | Should -BeExactly 'first'
            $listed[0].PrivateKeyExportable | Should -BeFalse
            @((Get-CertificateFolder $store).Name) | Should -Be @($thumbprint)  # no staging folder left
        }
    }

    Context 'the password never shows' {
        It 'in any output stream of a <Case> import (-Verbose -Debug, *>&1)' -ForEach @(
            @{ Case = 'successful'; Wrong = $false }
            @{ Case = 'wrong-password'; Wrong = $true }
        ) {
            $used = if ($Wrong) { 'An0ther-Wrong-Secret' } else { $secret }
            $pw = ConvertTo-SecureString $used -AsPlainText -Force
            $output = & {
                # A refusal is terminating; written to the error stream it is redirected with the rest.
                try { Import-OcsCertificate -Path $pfx -Password $pw -StorePath $store -Verbose -Debug }
                catch { Write-Error -ErrorRecord $_ -ErrorAction Continue }
                Write-Output 'END'
            } *>&1
            $output | Should -Not -BeNullOrEmpty
            $text = ($output | Out-String -Width 500) + (($output | Format-List * -Force | Out-String -Width 500))
            foreach ($record in $output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) {
                $text += $record.Exception.ToString() + $record.ScriptStackTrace + "$($record.TargetObject)"
            }
            if (-not $Wrong) { $text | Should -BeLike "*$thumbprint*" -Because 'the output was rendered as text' }
            $text | Should -Not -BeLike "*$used*"
            $text | Should -Not -BeLike "*$secret*"
            if ($Wrong) {
                $refusal = @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
                $refusal | Should -HaveCount 1
                $refusal[0].FullyQualifiedErrorId | Should -BeLike 'WrongPassword*'  # Write-Error keeps the ErrorId, not the command name
                $refusal[0].Exception.Message | Should -BeLike 'Password:*'
            }
            else {
                @($output | Where-Object { $_.PSObject.TypeNames[0] -eq 'OcsCertificate.Certificate' }) | Should -HaveCount 1
            }
        }
    }
}
