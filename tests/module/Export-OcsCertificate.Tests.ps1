# Exporting installed certificates, with a PFX made by the openssl CLI (as
# tests/native/binding/import_export_test.cpp does): the public part in PEM or DER,
# a non-exportable key that never leaves, a PFX round trip for an exportable one,
# existing files, -WhatIf and the pipeline.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force; Import-OcsTestModule
    $ca = Join-Path ([System.IO.Path]::GetTempPath()) ("ocscert-ca-" + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory $ca
    $root = Join-Path $ca 'root.pem'
    & openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj '/CN=Test-Root' -days 30 `
        -keyout (Join-Path $ca 'root.key') -out $root 2>$null
    if ($LASTEXITCODE -ne 0) { throw 'the test root could not be made' }
    $leaf = Join-Path $ca 'pool.cer'
    & openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj '/CN=pool01.contoso.com' `
        -addext 'subjectAltName=DNS:pool01.contoso.com' -addext 'extendedKeyUsage=serverAuth,clientAuth' `
        -keyout (Join-Path $ca 'pool.key') -out (Join-Path $ca 'pool.req') 2>$null
    & openssl x509 -req -in (Join-Path $ca 'pool.req') -CA $root -CAkey (Join-Path $ca 'root.key') -CAcreateserial -days 10 `
        -copy_extensions copy -out $leaf 2>$null
    $pfx = Join-Path $ca 'pool.pfx'
    & openssl pkcs12 -export -in $leaf -inkey (Join-Path $ca 'pool.key') -certfile $root -passout 'pass:S3cret' -out $pfx 2>$null
    if ($LASTEXITCODE -ne 0) { throw 'the test PFX could not be made' }
    $password = ConvertTo-SecureString 'S3cret' -AsPlainText -Force
    $exportSecret = 'An0ther-Pfx-pw'
    $exportPassword = ConvertTo-SecureString $exportSecret -AsPlainText -Force
    $fingerprint = (& openssl x509 -in $leaf -noout -fingerprint -sha256)
}
AfterAll { Remove-Item -Recurse -Force $ca -ErrorAction SilentlyContinue }

Describe 'Export-OcsCertificate' {
    BeforeEach {
        $store = New-OcsTestStore
        $out = Join-Path ([System.IO.Path]::GetTempPath()) ("ocscert-out-" + [guid]::NewGuid().ToString('n'))
        $null = New-Item -ItemType Directory $out
    }
    AfterEach {
        Remove-Item -LiteralPath $store -Recurse -Force -ErrorAction SilentlyContinue
        Remove-Item -LiteralPath $out -Recurse -Force -ErrorAction SilentlyContinue
        $env:OCSCERT_STORE = $null
    }

    Context 'the public certificate' {
        BeforeEach {
            $c = Import-OcsCertificate -Path $pfx -Password $password -StorePath $store
        }

        It 'writes PEM by default, without the key, and returns the FileInfo' {
            $file = Join-Path $out 'pub.pem'
            $result = Export-OcsCertificate -Thumbprint $c.Thumbprint -Path $file -StorePath $store
            $result | Should -HaveCount 1
            $result | Should -BeOfType [System.IO.FileInfo]
            $result.FullName | Should -Be $file
            & openssl x509 -in $file -noout
            $LASTEXITCODE | Should -Be 0
            (& openssl x509 -in $file -noout -fingerprint -sha256) | Should -Be $fingerprint
            Get-Content -Raw $file | Should -BeLike '-----BEGIN CERTIFICATE-----*'
            Get-Content -Raw $file | Should -Not -BeLike '*PRIVATE*'
        }

        It 'writes DER with -Encoding Der, without the key' {
            $file = Join-Path $out 'pub.cer'
            $result = Export-OcsCertificate -Thumbprint $c.Thumbprint -Path $file -Encoding Der -StorePath $store
            $result | Should -BeOfType [System.IO.FileInfo]
            & openssl x509 -inform DER -in $file -noout
            $LASTEXITCODE | Should -Be 0
            (& openssl x509 -inform DER -in $file -noout -fingerprint -sha256) | Should -Be $fingerprint
            [System.IO.File]::ReadAllBytes($file)[0] | Should -Be 0x30  # a DER SEQUENCE, not PEM text
            [System.Text.Encoding]::ASCII.GetString([System.IO.File]::ReadAllBytes($file)) | Should -Not -BeLike '*PRIVATE*'
        }

        It 'writes a relative -Path under the current location' {
            Push-Location $out
            try { $result = Export-OcsCertificate -Thumbprint $c.Thumbprint -Path 'relative.pem' -StorePath $store }
            finally { Pop-Location }
            $result.FullName | Should -Be (Join-Path $out 'relative.pem')
            Join-Path $out 'relative.pem' | Should -Exist
        }

        It 'takes Thumbprint and StorePath from Get-OcsCertificate in the pipeline' {
            $env:OCSCERT_STORE = $null  # only the piped StorePath names the store
            $file = Join-Path $out 'piped.pem'
            $result = Get-OcsCertificate -StorePath $store | Export-OcsCertificate -Path $file
            $result.FullName | Should -Be $file
            (& openssl x509 -in $file -noout -fingerprint -sha256) | Should -Be $fingerprint
        }

        It 'accepts the thumbprint in lower case' {
            $file = Join-Path $out 'lower.pem'
            $null = Export-OcsCertificate -Thumbprint $c.Thumbprint.ToLowerInvariant() -Path $file -StorePath $store
            (& openssl x509 -in $file -noout -fingerprint -sha256) | Should -Be $fingerprint
        }

        It 'writes nothing with -WhatIf' {
            $file = Join-Path $out 'whatif.pem'
            $result = Export-OcsCertificate -Thumbprint $c.Thumbprint -Path $file -StorePath $store -WhatIf
            $result | Should -BeNullOrEmpty
            $file | Should -Not -Exist
            Get-ChildItem -LiteralPath $out -Force | Should -BeNullOrEmpty
        }

        It 'refuses an existing file without -Force (OutFileExists) and overwrites it with -Force' {
            $file = Join-Path $out 'exists.pem'
            Set-Content -LiteralPath $file -Value 'keep me' -NoNewline
            $err = { Export-OcsCertificate -Thumbprint $c.Thumbprint -Path $file -StorePath $store } |
                Should -Throw -ErrorId 'OutFileExists,Export-OcsCertificate' -PassThru
            $err.Exception.Message | Should -BeLike 'Path:*'
            $err.CategoryInfo.Category | Should -Be 'ResourceExists'
            Get-Content -Raw -LiteralPath $file | Should -BeExactly 'keep me'

            $result = Export-OcsCertificate -Thumbprint $c.Thumbprint -Path $file -Force -StorePath $store
            $result.FullName | Should -Be $file
            (& openssl x509 -in $file -noout -fingerprint -sha256) | Should -Be $fingerprint
            @(Get-ChildItem -LiteralPath $out -Force).Name | Should -Be @('exists.pem')  # no temporary file left beside it
        }

        It 'refuses a path inside the store even with -Force (PathInsideStore): the key there stays' {
            $key = Join-Path $store "certificates/$($c.Thumbprint)/key.pem"
            $before = Get-Content -Raw -LiteralPath $key
            $err = { Export-OcsCertificate -Thumbprint $c.Thumbprint -Path $key -Force -StorePath $store } |
                Should -Throw -ErrorId 'PathInsideStore,Export-OcsCertificate' -PassThru
            $err.Exception.Message | Should -BeLike 'Path:*is a file of the store*give a new file, or a path outside the store.'
            Get-Content -Raw -LiteralPath $key | Should -BeExactly $before
        }

        It 'an unknown thumbprint is CertificateNotFound and writes nothing' {
            $file = Join-Path $out 'none.pem'
            $err = { Export-OcsCertificate -Thumbprint ('A' * 40) -Path $file -StorePath $store } |
                Should -Throw -ErrorId 'CertificateNotFound,Export-OcsCertificate' -PassThru
            $err.Exception.Message | Should -BeLike 'Thumbprint:*'
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $file | Should -Not -Exist
        }
    }

    Context 'with the private key (-Password)' {
        It 'refuses a key that is not exportable: KeyNotExportable, no file written' {
            $c = Import-OcsCertificate -Path $pfx -Password $password -StorePath $store
            $file = Join-Path $out 'key.pfx'
            $err = { Export-OcsCertificate -Thumbprint $c.Thumbprint -Path $file -Password $exportPassword -StorePath $store } |
                Should -Throw -ErrorId 'KeyNotExportable,Export-OcsCertificate' -PassThru
            $err.Exception.Message | Should -BeLike 'Password:*'
            $err.Exception.Message | Should -Not -BeLike "*$exportSecret*"
            $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
            $err.TargetObject | Should -BeNullOrEmpty  # never the password
            $file | Should -Not -Exist
            Get-ChildItem -LiteralPath $out -Force | Should -BeNullOrEmpty
        }

        It 'writes a PFX that openssl opens with the password, and that imports again as the same certificate' {
            $c = Import-OcsCertificate -Path $pfx -Password $password -PrivateKeyExportable -FriendlyName 'OCS pool01' -StorePath $store
            $file = Join-Path $out 'key.pfx'
            $result = Export-OcsCertificate -Thumbprint $c.Thumbprint -Path $file -Password $exportPassword -StorePath $store
            $result | Should -BeOfType [System.IO.FileInfo]
            $result.FullName | Should -Be $file
            & openssl pkcs12 -in $file -passin "pass:$exportSecret" -noout 2>$null
            $LASTEXITCODE | Should -Be 0
            & openssl pkcs12 -in $file -passin 'pass:wrong' -noout 2>$null
            $LASTEXITCODE | Should -Not -Be 0

            $again = Join-Path $out 'store2'
            $copy = Import-OcsCertificate -Path $file -Password $exportPassword -StorePath $again
            $copy.Thumbprint | Should -Be $c.Thumbprint
            $copy.HasPrivateKey | Should -BeTrue
            $copy.ChainLength | Should -Be $c.ChainLength
        }

        It 'refuses an existing PFX file without -Force (OutFileExists)' {
            $c = Import-OcsCertificate -Path $pfx -Password $password -PrivateKeyExportable -StorePath $store
            $file = Join-Path $out 'key.pfx'
            $null = Export-OcsCertificate -Thumbprint $c.Thumbprint -Path $file -Password $exportPassword -StorePath $store
            $before = Get-FileHash -LiteralPath $file
            { Export-OcsCertificate -Thumbprint $c.Thumbprint -Path $file -Password $exportPassword -StorePath $store } |
                Should -Throw -ErrorId 'OutFileExists,Export-OcsCertificate'
            (Get-FileHash -LiteralPath $file).Hash | Should -Be $before.Hash
        }

        It 'writes no PFX with -WhatIf' {
            $c = Import-OcsCertificate -Path $pfx -Password $password -PrivateKeyExportable -StorePath $store
            $file = Join-Path $out 'whatif.pfx'
            Export-OcsCertificate -Thumbprint $c.Thumbprint -Path $file -Password $exportPassword -StorePath $store -WhatIf | Should -BeNullOrEmpty
            $file | Should -Not -Exist
        }

        It 'refuses an empty password: a PFX needs one' {
            $c = Import-OcsCertificate -Path $pfx -Password $password -PrivateKeyExportable -StorePath $store
            $file = Join-Path $out 'empty.pfx'
            $err = { Export-OcsCertificate -Thumbprint $c.Thumbprint -Path $file -Password ([securestring]::new()) -StorePath $store } |
                Should -Throw -ErrorId 'RequiredField,Export-OcsCertificate' -PassThru
            $err.Exception.Message | Should -BeLike 'Password:*'
            $file | Should -Not -Exist
        }
    }
}
