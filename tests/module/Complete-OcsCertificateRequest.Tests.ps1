# The offline flow with a CA made by the openssl CLI: request, sign, complete.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force; Import-OcsTestModule
    $ca = Join-Path ([System.IO.Path]::GetTempPath()) ("ocscert-ca-" + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory $ca
    & openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj '/CN=Contoso Test Root' -days 30 `
        -keyout (Join-Path $ca 'ca.key') -out (Join-Path $ca 'ca.pem') 2>$null
    function Invoke-TestCa([string] $Request, [string] $Out) {
        & openssl x509 -req -in $Request -CA (Join-Path $ca 'ca.pem') -CAkey (Join-Path $ca 'ca.key') -CAcreateserial `
            -days 10 -copy_extensions copy -out $Out 2>$null
        if ($LASTEXITCODE -ne 0) { throw 'the test CA could not sign' }
    }
}
AfterAll { Remove-Item -Recurse -Force $ca -ErrorAction SilentlyContinue }

Describe 'Complete-OcsCertificateRequest' {
    BeforeEach {
        $store = New-OcsTestStore
        $null = New-Item -ItemType Directory -Force $store
        $arguments = Get-OcsTestRequestArguments
        $request = New-OcsCertificateRequest @arguments -SipDomain contoso.com -AutomaticSignIn -FriendlyName 'OCS pool01' -OutFile (Join-Path $store 'pool01.req') -StorePath $store
        Invoke-TestCa (Join-Path $store 'pool01.req') (Join-Path $store 'pool01.cer')
        & openssl crl2pkcs7 -nocrl -certfile (Join-Path $store 'pool01.cer') -certfile (Join-Path $ca 'ca.pem') -out (Join-Path $store 'pool01.p7b')
    }
    AfterEach {
        Remove-Item -LiteralPath $store -Recurse -Force -ErrorAction SilentlyContinue
        $env:OCSCERT_STORE = $null
    }

    It 'installs a PKCS#7 answer, completes the request and returns a typed certificate' {
        $certificate = Complete-OcsCertificateRequest -Path (Join-Path $store 'pool01.p7b') -StorePath $store
        $certificate.PSObject.TypeNames[0] | Should -Be 'OcsCertificate.Certificate'
        $certificate.Thumbprint | Should -Match '^[0-9A-F]{40}$'
        $certificate.RequestId | Should -Be $request.Id
        $certificate.FriendlyName | Should -Be 'OCS pool01'
        $certificate.AlternativeNames | Should -Be @('pool01.contoso.com', 'sip.contoso.com')
        $certificate.EnhancedKeyUsage | Should -Be @('ServerAuthentication', 'ClientAuthentication')
        $certificate.HasPrivateKey | Should -BeTrue
        $certificate.PrivateKeyExportable | Should -BeFalse
        $certificate.ChainLength | Should -Be 1
        $certificate.Issuer | Should -Be 'CN=Contoso Test Root'
        @(Get-OcsCertificateRequest -StorePath $store) | Should -HaveCount 0
        (& stat -c '%a' (Join-Path $store "certificates/$($certificate.Thumbprint)/key.pem")) | Should -Be '600'
    }

    It 'takes files from the pipeline (Get-ChildItem)' {
        $certificate = Get-Item (Join-Path $store 'pool01.cer') | Complete-OcsCertificateRequest -StorePath $store
        $certificate.RequestId | Should -Be $request.Id
    }

    It '-WhatIf installs nothing' {
        Complete-OcsCertificateRequest -Path (Join-Path $store 'pool01.cer') -StorePath $store -WhatIf
        @(Get-OcsCertificate -StorePath $store) | Should -HaveCount 0
        @(Get-OcsCertificateRequest -StorePath $store) | Should -HaveCount 1
    }

    It 'refuses <Case> with ErrorId <ErrorId> and leaves the store unchanged' -ForEach @(
        @{ Case = 'a truncated file'; ErrorId = 'InvalidResponse'; Make = { param($s) Set-Content (Join-Path $s 'bad.cer') ((Get-Content -Raw (Join-Path $s 'pool01.cer')).Substring(0, 300)) } }
        @{ Case = 'garbage'; ErrorId = 'InvalidResponse'; Make = { param($s) Set-Content (Join-Path $s 'bad.cer') 'this is not a certificate' } }
        @{ Case = 'a PKCS#7 with no certificate'; ErrorId = 'NoCertificate'; Make = { param($s) & openssl crl2pkcs7 -nocrl -out (Join-Path $s 'bad.cer') } }
        @{ Case = 'the request file instead of the answer'; ErrorId = 'NoCertificate'; Make = { param($s) Copy-Item (Join-Path $s 'pool01.req') (Join-Path $s 'bad.cer') } }
        @{ Case = 'an expired certificate'; ErrorId = 'CertificateExpired'; Make = {
                param($s) & openssl x509 -req -in (Join-Path $s 'pool01.req') -CA (Join-Path $ca 'ca.pem') -CAkey (Join-Path $ca 'ca.key') `
                    -CAcreateserial -days -1 -copy_extensions copy -out (Join-Path $s 'bad.cer') 2>$null } }
        @{ Case = 'an answer of 33 certificates'; ErrorId = 'TooManyCertificates'; Make = {
                param($s) Set-Content (Join-Path $s 'bad.cer') ((Get-Content -Raw (Join-Path $s 'pool01.cer')) + (Get-Content -Raw (Join-Path $ca 'ca.pem')) * 32) } }
    ) {
        & $Make $store
        { Complete-OcsCertificateRequest -Path (Join-Path $store 'bad.cer') -StorePath $store } |
            Should -Throw -ErrorId "$ErrorId,Complete-OcsCertificateRequest"
        @(Get-OcsCertificate -StorePath $store) | Should -HaveCount 0
        @(Get-OcsCertificateRequest -StorePath $store) | Should -HaveCount 1
    }

    It 'refuses a certificate from a Web Server template (no client authentication), keeps the request, then installs the corrected one' {
        Set-Content (Join-Path $store 'web-server.cnf') "subjectAltName=DNS:pool01.contoso.com,DNS:sip.contoso.com`nextendedKeyUsage=serverAuth"
        & openssl x509 -req -in (Join-Path $store 'pool01.req') -CA (Join-Path $ca 'ca.pem') -CAkey (Join-Path $ca 'ca.key') `
            -CAcreateserial -days 10 -extfile (Join-Path $store 'web-server.cnf') -out (Join-Path $store 'web-server.cer') 2>$null
        $err = { Complete-OcsCertificateRequest -Path (Join-Path $store 'web-server.cer') -StorePath $store } |
            Should -Throw -ErrorId 'UsageDiffers,Complete-OcsCertificateRequest' -PassThru
        $err.Exception.Message | Should -BeLike "Path: *lacks ClientAuthentication*request $($request.Id) stays pending*Client Authentication added*"
        @(Get-OcsCertificate -StorePath $store) | Should -HaveCount 0
        @(Get-OcsCertificateRequest -StorePath $store).Id | Should -Be $request.Id

        $certificate = Complete-OcsCertificateRequest -Path (Join-Path $store 'pool01.cer') -StorePath $store
        $certificate.RequestId | Should -Be $request.Id
        $certificate.EnhancedKeyUsage | Should -Be @('ServerAuthentication', 'ClientAuthentication')
    }

    It 'refuses a certificate for another key (NoMatchingRequest)' {
        & openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj '/CN=pool01.contoso.com' `
            -keyout (Join-Path $store 'other.key') -out (Join-Path $store 'other.req') 2>$null
        Invoke-TestCa (Join-Path $store 'other.req') (Join-Path $store 'other.cer')
        $err = { Complete-OcsCertificateRequest -Path (Join-Path $store 'other.cer') -StorePath $store } |
            Should -Throw -ErrorId 'NoMatchingRequest,Complete-OcsCertificateRequest' -PassThru
        $err.Exception.Message | Should -BeLike 'Path: *does not match the key*'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        @(Get-OcsCertificateRequest -StorePath $store) | Should -HaveCount 1
    }
}

Describe 'Get-OcsCertificate' {
    BeforeEach {
        $store = New-OcsTestStore
        $null = New-Item -ItemType Directory -Force $store
        $arguments = Get-OcsTestRequestArguments
        $null = New-OcsCertificateRequest @arguments -OutFile (Join-Path $store 'pool01.req') -StorePath $store
        Invoke-TestCa (Join-Path $store 'pool01.req') (Join-Path $store 'pool01.cer')
        $installed = Complete-OcsCertificateRequest -Path (Join-Path $store 'pool01.cer') -StorePath $store
    }
    AfterEach {
        Remove-Item -LiteralPath $store -Recurse -Force -ErrorAction SilentlyContinue
        $env:OCSCERT_STORE = $null
    }

    It 'lists what is installed, with the thumbprint in any case' {
        @(Get-OcsCertificate -StorePath $store).Thumbprint | Should -Be @($installed.Thumbprint)
        (Get-OcsCertificate -Thumbprint $installed.Thumbprint.ToLowerInvariant() -StorePath $store).Thumbprint | Should -Be $installed.Thumbprint
    }

    It 'takes a thumbprint as the Windows certificate console shows it (spaces, an invisible left-to-right mark in front)' {
        $pasted = [string][char]0x200E + (($installed.Thumbprint.ToLowerInvariant() -split '(..)' | Where-Object { $_ }) -join ' ')
        (Get-OcsCertificate -Thumbprint $pasted -StorePath $store).Thumbprint | Should -Be $installed.Thumbprint
        $path = Join-Path $store 'exported.cer'
        $null = Export-OcsCertificate -Thumbprint $pasted -Path $path -StorePath $store
        (& openssl x509 -in $path -noout -fingerprint -sha1) | Should -Be ('SHA1 Fingerprint=' + (($installed.Thumbprint -split '(..)' | Where-Object { $_ }) -join ':'))
    }

    It 'takes a relative -StorePath below the current location, as any cmdlet does' {
        Push-Location $store
        try {
            $relative = @(Get-OcsCertificate -StorePath '.')
            $relative.Thumbprint | Should -Be @($installed.Thumbprint)
        }
        finally { Pop-Location }
        # A relative store path the library cannot resolve is its own clear error, not "Exception calling .ctor".
        $env:OCSCERT_STORE = 'relative/store'
        $err = { Get-OcsCertificate } | Should -Throw -ErrorId 'InvalidPath,Get-OcsCertificate' -PassThru
        $err.Exception.Message | Should -BeLike '*must be absolute*'
        # Named as what was set: -StorePath was never given.
        $err.Exception.Message | Should -BeLike '$env:OCSCERT_STORE: *'
        $err.TargetObject | Should -Be 'relative/store'
    }

    It '-ExpiringWithinDays keeps only what expires in time' {
        @(Get-OcsCertificate -ExpiringWithinDays 30 -StorePath $store) | Should -HaveCount 1
        @(Get-OcsCertificate -ExpiringWithinDays 5 -StorePath $store) | Should -HaveCount 0
    }

    It 'shows the roles a certificate is assigned to' {
        (Get-OcsCertificate -StorePath $store).Role | Should -BeNullOrEmpty
        Set-OcsCertificate -Role FrontEnd, AudioVideo -Thumbprint $installed.Thumbprint -TrustAnchorPath (Join-Path $ca 'ca.pem') -StorePath $store | Out-Null
        (Get-OcsCertificate -StorePath $store).Role | Should -Be @('AudioVideo', 'FrontEnd')
    }

    It 'refuses a file given as the store with StoreNotAFolder, naming StorePath' {
        $file = Join-Path $store 'pool01.cer'
        $err = { Get-OcsCertificate -StorePath $file -ExpiringWithinDays 30 } | Should -Throw -ErrorId 'StoreNotAFolder,Get-OcsCertificate' -PassThru
        $err.Exception.Message | Should -BeExactly "StorePath: The store path '$file' is a file, not a folder; give a folder for the store (it is made when first needed)."
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.TargetObject | Should -BeExactly $file
        $below = Join-Path $file 'store'
        $err = { Get-OcsCertificate -StorePath $below } | Should -Throw -ErrorId 'StoreNotAFolder,Get-OcsCertificate' -PassThru
        $err.Exception.Message | Should -BeLike "StorePath: The store path '$below' lies below '$file', which is a file, not a folder; give a folder*"
    }

    It 'lists nothing from a store that does not exist, with a warning naming it, and creates nothing' {
        $typo = Join-Path ([System.IO.Path]::GetTempPath()) ("ocscert-typo-" + [guid]::NewGuid().ToString('n'))
        $result = Get-OcsCertificate -StorePath $typo -ExpiringWithinDays 30 -WarningVariable warnings -WarningAction SilentlyContinue -ErrorVariable problems
        $result | Should -BeNullOrEmpty
        $problems | Should -BeNullOrEmpty
        @($warnings) | Should -HaveCount 1
        "$($warnings[0])" | Should -BeExactly "The store '$typo' does not exist; it holds no certificates."
        Test-Path -LiteralPath $typo | Should -BeFalse
        # The existing store: no warning.
        $null = Get-OcsCertificate -StorePath $store -WarningVariable warnings
        @($warnings) | Should -HaveCount 0
    }

    It 'leaves out a certificate whose record cannot be read, with a warning naming it, and lists the others' {
        Set-OcsCertificate -Role FrontEnd -Thumbprint $installed.Thumbprint -TrustAnchorPath (Join-Path $ca 'ca.pem') -StorePath $store | Out-Null
        $null = New-OcsCertificateRequest @arguments -PoolFqdn pool02.contoso.com -OutFile (Join-Path $store 'pool02.req') -StorePath $store
        Invoke-TestCa (Join-Path $store 'pool02.req') (Join-Path $store 'pool02.cer')
        $intact = Complete-OcsCertificateRequest -Path (Join-Path $store 'pool02.cer') -StorePath $store
        $record = Join-Path $store "certificates/$($installed.Thumbprint)/certificate.json"
        Set-Content -LiteralPath $record -Value 'garbage'

        $list = @(Get-OcsCertificate -StorePath $store -WarningVariable warnings -WarningAction SilentlyContinue)
        $list.Thumbprint | Should -Be @($intact.Thumbprint)
        @($warnings) | Should -HaveCount 1
        "$($warnings[0])" | Should -BeLike "certificates/$($installed.Thumbprint)/certificate.json cannot be read: it is not JSON (*); the certificate is left out of this list*"
        # Asked for by thumbprint it says why, not that it is not installed.
        $err = { Get-OcsCertificate -Thumbprint $installed.Thumbprint -StorePath $store } | Should -Throw -ErrorId 'CertificateUnreadable,Get-OcsCertificate' -PassThru
        $err.Exception.Message | Should -BeLike "Thumbprint: The certificate's record certificates/$($installed.Thumbprint)/certificate.json cannot be read*"
        # The role still names it, as before; nothing was repaired or removed.
        (Get-OcsCertificateBinding -Role FrontEnd -StorePath $store).Thumbprint | Should -BeExactly $installed.Thumbprint
        (Get-Content -Raw -LiteralPath $record).Trim() | Should -BeExactly 'garbage'
    }

    It 'refuses an explicit empty -StorePath instead of using $env:OCSCERT_STORE' {
        $env:OCSCERT_STORE = $store
        $err = { Get-OcsCertificate -StorePath '' } | Should -Throw -ErrorId 'EmptyStorePath,Get-OcsCertificate' -PassThru
        $err.Exception.Message | Should -BeExactly 'StorePath: give a folder, or leave the parameter out to use $env:OCSCERT_STORE or the default store.'
        { Get-OcsCertificateBinding -StorePath '' } | Should -Throw -ErrorId 'EmptyStorePath,Get-OcsCertificateBinding'
        { Get-OcsCertificateRenewal -StorePath '' } | Should -Throw -ErrorId 'EmptyStorePath,Get-OcsCertificateRenewal'
        { Update-OcsCertificateBinding -StorePath '' } | Should -Throw -ErrorId 'EmptyStorePath,Update-OcsCertificateBinding'
        # Left out, or empty on a piped object, it is $env:OCSCERT_STORE.
        (Get-OcsCertificate).Thumbprint | Should -BeExactly $installed.Thumbprint
        ([pscustomobject]@{ StorePath = '' } | Get-OcsCertificate).Thumbprint | Should -BeExactly $installed.Thumbprint
    }

    It 'an unknown thumbprint is CertificateNotFound' {
        { Get-OcsCertificate -Thumbprint ('0' * 40) -StorePath $store } | Should -Throw -ErrorId 'CertificateNotFound,Get-OcsCertificate'
    }

    It 'survives remoting serialisation with its type name' {
        $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($installed))
        $copy.PSObject.TypeNames[0] | Should -Be 'Deserialized.OcsCertificate.Certificate'
        $copy.Thumbprint | Should -Be $installed.Thumbprint
    }
}
