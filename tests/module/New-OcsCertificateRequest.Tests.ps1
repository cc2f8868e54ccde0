BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force; Import-OcsTestModule

    # The request as `openssl req -text` shows it; fails the test if openssl does not accept the file.
    function Get-CsrText {
        param([Parameter(Mandatory)] [string] $Path, [string] $Inform = 'PEM')
        $text = (& openssl req -inform $Inform -in $Path -noout -text 2>&1 | ForEach-Object { "$_" }) -join "`n"
        if ($LASTEXITCODE -ne 0) { throw "openssl req could not read '$Path': $text" }
        $text
    }

    # The line after an extension's title in `openssl req -text`.
    function Get-CsrExtension {
        param([Parameter(Mandatory)] [string] $Text, [Parameter(Mandatory)] [string] $Title)
        $lines = $Text -split "`n"
        for ($i = 0; $i -lt $lines.Count - 1; $i++) {
            if ($lines[$i].Trim() -like "$Title*") { return $lines[$i + 1].Trim() }
        }
        $null
    }

    function Get-CsrSan {
        param([Parameter(Mandatory)] [string] $Text)
        $line = Get-CsrExtension -Text $Text -Title 'X509v3 Subject Alternative Name:'
        @($line -split ',\s*' | ForEach-Object { $_ -replace '^DNS:' })
    }

    # The subject's RDNs as RFC 2253 text, split at unescaped commas.
    function Get-CsrSubjectRdn {
        param([Parameter(Mandatory)] [string] $Path)
        $subject = (& openssl req -in $Path -noout -subject -nameopt RFC2253 2>&1 | ForEach-Object { "$_" }) -join ''
        if ($LASTEXITCODE -ne 0) { throw "openssl req could not read '$Path': $subject" }
        @(($subject -replace '^subject=\s*') -split '(?<!\\),')
    }


    function Get-StoreFile {
        param([Parameter(Mandatory)] [string] $Path)
        @(Get-ChildItem -LiteralPath $Path -Recurse -Force -File -ErrorAction SilentlyContinue)
    }
}

Describe 'New-OcsCertificateRequest' {
    BeforeEach {
        $store = New-OcsTestStore
        $out = Join-Path ([System.IO.Path]::GetTempPath()) ('ocscert-out-' + [guid]::NewGuid().ToString('n'))
        $null = New-Item -ItemType Directory -Path $out
        $request = Get-OcsTestRequestArguments
        $request['StorePath'] = $store
    }
    AfterEach {
        Remove-Item -LiteralPath $store, $out -Recurse -Force -ErrorAction SilentlyContinue
        $env:OCSCERT_STORE = $null
    }

    Context 'the issue example (RSA 2048)' {
        BeforeAll {
            # One RSA request for the whole context: checked several ways below.
            $exampleStore = New-OcsTestStore
            $exampleOut = Join-Path ([System.IO.Path]::GetTempPath()) ('ocscert-out-' + [guid]::NewGuid().ToString('n'))
            $null = New-Item -ItemType Directory -Path $exampleOut
            $exampleFile = Join-Path $exampleOut 'pool01.req'
            $example = New-OcsCertificateRequest -Role FrontEnd -PoolFqdn pool01.contoso.com -SipDomain contoso.com, fabrikam.com `
                -AutomaticSignIn -IncludeMachineName -MachineFqdn fe01.contoso.com -FriendlyName 'OCS pool01' -KeySize 2048 `
                -Organization Contoso -OrganizationalUnit IT -Country US -State Washington -City Redmond `
                -OutFile $exampleFile -StorePath $exampleStore
            $exampleText = Get-CsrText -Path $exampleFile
        }
        AfterAll {
            Remove-Item -LiteralPath $exampleStore, $exampleOut -Recurse -Force -ErrorAction SilentlyContinue
        }

        It 'writes a file that openssl req -verify accepts' {
            $verify = (& openssl req -in $exampleFile -noout -verify 2>&1 | ForEach-Object { "$_" }) -join "`n"
            $LASTEXITCODE | Should -Be 0
            $verify | Should -BeLike '*verify OK*'
        }

        It 'has exactly the pool, sip and machine names as SANs, in that order' {
            (Get-CsrSan -Text $exampleText) -join ',' | Should -BeExactly 'pool01.contoso.com,sip.contoso.com,sip.fabrikam.com,fe01.contoso.com'
            $example.AlternativeNames -join ',' | Should -BeExactly 'pool01.contoso.com,sip.contoso.com,sip.fabrikam.com,fe01.contoso.com'
        }

        It 'asks for server and client authentication' {
            Get-CsrExtension -Text $exampleText -Title 'X509v3 Extended Key Usage:' |
                Should -BeExactly 'TLS Web Server Authentication, TLS Web Client Authentication'
        }

        It 'asks for digitalSignature and keyEncipherment (RSA), critical' {
            $exampleText | Should -Match 'X509v3 Key Usage: critical'
            Get-CsrExtension -Text $exampleText -Title 'X509v3 Key Usage:' | Should -BeExactly 'Digital Signature, Key Encipherment'
        }

        It 'has the subject C, ST, L, O, OU and CN=pool FQDN' {
            $rdns = Get-CsrSubjectRdn -Path $exampleFile
            ($rdns | Sort-Object) -join ',' | Should -BeExactly 'C=US,CN=pool01.contoso.com,L=Redmond,O=Contoso,OU=IT,ST=Washington'
            $example.Subject | Should -BeExactly 'CN=pool01.contoso.com,OU=IT,O=Contoso,L=Redmond,ST=Washington,C=US'
            $example.CommonName | Should -BeExactly 'pool01.contoso.com'
        }

        It 'is a 2048-bit RSA key, signed with SHA-256' {
            $exampleText | Should -Match 'Public-Key: \(2048 bit\)'
            $exampleText | Should -Match 'Signature Algorithm: sha256WithRSAEncryption'
            $example.KeyAlgorithm | Should -BeExactly 'RSA'
            $example.KeySize | Should -Be 2048
        }

        It 'returns the request object with the inputs' {
            $example.PSObject.TypeNames[0] | Should -BeExactly 'OcsCertificate.CertificateRequest'
            $example.Id | Should -Match '^[0-9a-f]{8}$'
            $example.State | Should -BeExactly 'Pending'
            $example.FriendlyName | Should -BeExactly 'OCS pool01'
            $example.Role | Should -Be @('FrontEnd')
            $example.OutFile | Should -BeExactly $exampleFile
            $example.StorePath | Should -BeExactly $exampleStore
            $example.PublicKeySha256 | Should -Match '^[0-9a-f]{64}$'
            $example.Created.Kind | Should -Be 'Utc'
            $example.Created | Should -BeGreaterThan ([datetime]::UtcNow.AddMinutes(-5))
            ($example.Names.Source -join ',') | Should -BeExactly 'PoolFqdn,SipDomain,SipDomain,MachineFqdn'
        }

        It 'writes the same PEM to the file as it returns and keeps' {
            (Get-Content -LiteralPath $exampleFile -Raw).Trim() | Should -BeExactly $example.RequestPem.Trim()
            (Get-Content -LiteralPath (Join-Path $exampleStore "requests/$($example.Id)/request.pem") -Raw).Trim() | Should -BeExactly $example.RequestPem.Trim()
        }

        It 'keeps the private key that matches the request' {
            $key = Join-Path $exampleStore "requests/$($example.Id)/key.pem"
            $fromKey = (& openssl pkey -in $key -pubout 2>&1 | ForEach-Object { "$_" }) -join "`n"
            $LASTEXITCODE | Should -Be 0
            $fromRequest = (& openssl req -in $exampleFile -noout -pubkey 2>&1 | ForEach-Object { "$_" }) -join "`n"
            $fromKey | Should -BeExactly $fromRequest
        }
    }

    Context 'request options' {
        It '-ServerAuthenticationOnly asks for server authentication only' {
            $file = Join-Path $out 'server.req'
            $null = New-OcsCertificateRequest @request -ServerAuthenticationOnly -OutFile $file -WarningVariable warnings -WarningAction SilentlyContinue
            Get-CsrExtension -Text (Get-CsrText -Path $file) -Title 'X509v3 Extended Key Usage:' | Should -BeExactly 'TLS Web Server Authentication'
            # Such a certificate can never be assigned to a role: the admin hears it now, not at Set-OcsCertificate.
            @($warnings) | Should -HaveCount 1
            "$($warnings[0])" | Should -BeLike '*mutual TLS*Set-OcsCertificate*refused*'
        }

        It 'asks for digitalSignature only with an ECDSA key' {
            $file = Join-Path $out 'ec.req'
            $null = New-OcsCertificateRequest @request -OutFile $file
            Get-CsrExtension -Text (Get-CsrText -Path $file) -Title 'X509v3 Key Usage:' | Should -BeExactly 'Digital Signature'
        }

        It '-Encoding Der writes DER that openssl req -inform DER accepts' {
            $file = Join-Path $out 'pool01.der'
            $r = New-OcsCertificateRequest @request -Encoding Der -OutFile $file
            [System.IO.File]::ReadAllBytes($file)[0] | Should -Be 0x30  # an ASN.1 SEQUENCE, not Base64 text
            $verify = (& openssl req -inform DER -in $file -noout -verify 2>&1 | ForEach-Object { "$_" }) -join "`n"
            $LASTEXITCODE | Should -Be 0
            $verify | Should -BeLike '*verify OK*'
            $der = (& openssl req -in $file -inform DER -outform PEM 2>&1 | ForEach-Object { "$_" }) -join "`n"
            $der.Trim() | Should -BeExactly ($r.RequestPem.Trim() -replace "`r")
        }

        It '-Template WebServer adds the certificate template extension 1.3.6.1.4.1.311.20.2' {
            $file = Join-Path $out 'template.req'
            $null = New-OcsCertificateRequest @request -Template WebServer -OutFile $file
            $text = Get-CsrText -Path $file
            $text | Should -Match '1\.3\.6\.1\.4\.1\.311\.20\.2:'
            Get-CsrExtension -Text $text -Title '1.3.6.1.4.1.311.20.2:' | Should -BeLike '*W.e.b.S.e.r.v.e.r*'
        }

        It 'has no template extension without -Template' {
            $file = Join-Path $out 'plain.req'
            $null = New-OcsCertificateRequest @request -OutFile $file
            Get-CsrText -Path $file | Should -Not -Match '1\.3\.6\.1\.4\.1\.311\.20\.2'
        }

        It 'makes an ECDSA P-384 key with -KeyAlgorithm ECDSA_P384' {
            $request.KeyAlgorithm = 'ECDSA_P384'
            $file = Join-Path $out 'p384.req'
            $r = New-OcsCertificateRequest @request -OutFile $file
            $r.KeyAlgorithm | Should -BeExactly 'ECDSA_P384'
            $r.KeySize | Should -Be 384
            $text = Get-CsrText -Path $file
            $text | Should -Match 'Public-Key: \(384 bit\)'
            $text | Should -Match 'NIST CURVE: P-384'
        }

        It 'makes an ECDSA P-256 key with -KeyAlgorithm ECDSA_P256' {
            $file = Join-Path $out 'p256.req'
            $r = New-OcsCertificateRequest @request -OutFile $file
            $r.KeySize | Should -Be 256
            Get-CsrText -Path $file | Should -Match 'NIST CURVE: P-256'
        }

        It 'makes a 4096-bit RSA key with -KeySize 4096' {
            $request.KeyAlgorithm = 'RSA'
            $file = Join-Path $out 'rsa4096.req'
            $r = New-OcsCertificateRequest @request -KeySize 4096 -OutFile $file
            $r.KeySize | Should -Be 4096
            Get-CsrText -Path $file | Should -Match 'Public-Key: \(4096 bit\)'
        }

        It 'refuses a key size for an ECDSA key other than its curve size' {
            $err = { New-OcsCertificateRequest @request -KeySize 384 } | Should -Throw -ErrorId 'InvalidKeySize,New-OcsCertificateRequest' -PassThru
            $err.Exception.Message | Should -BeLike 'KeySize: *'
        }

        It 'marks the key not exportable by default' {
            $r = New-OcsCertificateRequest @request
            $r.PrivateKeyExportable | Should -BeFalse
            $r.PrivateKeyExportable | Should -BeOfType [bool]
            (Get-OcsCertificateRequest -Id $r.Id -StorePath $store).PrivateKeyExportable | Should -BeFalse
        }

        It 'marks the key exportable with -PrivateKeyExportable' {
            $r = New-OcsCertificateRequest @request -PrivateKeyExportable
            $r.PrivateKeyExportable | Should -BeTrue
            (Get-OcsCertificateRequest -Id $r.Id -StorePath $store).PrivateKeyExportable | Should -BeTrue
        }

        It 'keeps the private key in <store>/requests/<id>/key.pem with mode 600, in a 700 folder' {
            $r = New-OcsCertificateRequest @request
            $key = Join-Path $store "requests/$($r.Id)/key.pem"
            Test-Path -LiteralPath $key | Should -BeTrue
            (& stat -c %a $key) | Should -BeExactly '600'
            (& stat -c %a (Join-Path $store "requests/$($r.Id)")) | Should -BeExactly '700'
            Get-Content -LiteralPath $key -TotalCount 1 | Should -BeExactly '-----BEGIN PRIVATE KEY-----'
        }

        It 'resolves a relative -OutFile against the current location' {
            Push-Location -LiteralPath $out
            try { $r = New-OcsCertificateRequest @request -OutFile 'relative.req' }
            finally { Pop-Location }
            $r.OutFile | Should -BeExactly (Join-Path $out 'relative.req')
            Test-Path -LiteralPath (Join-Path $out 'relative.req') | Should -BeTrue
        }

        It 'works with progress shown ($ProgressPreference Continue) and hidden (-ProgressAction SilentlyContinue)' {
            $ProgressPreference = 'Continue'
            $shown = New-OcsCertificateRequest @request
            $hidden = New-OcsCertificateRequest @request -ProgressAction SilentlyContinue
            $shown.Id | Should -Not -BeNullOrEmpty
            $hidden.Id | Should -Not -BeNullOrEmpty
            @(Get-OcsCertificateRequest -StorePath $store) | Should -HaveCount 2
        }
    }

    Context 'subject text' {
        It "keeps a non-ASCII organisation ('Société Générale') as UTF-8" {
            $file = Join-Path $out 'utf8.req'
            $r = New-OcsCertificateRequest @request -Organization 'Société Générale' -OutFile $file
            $r.Subject | Should -BeLike '*,O=Société Générale,*'
            (Get-OcsCertificateRequest -Id $r.Id -StorePath $store).Subject | Should -BeExactly $r.Subject
            # openssl escapes the bytes above 0x7f: these are the UTF-8 encodings of 'é'.
            Get-CsrSubjectRdn -Path $file | Should -Contain 'O=Soci\C3\A9t\C3\A9 G\C3\A9n\C3\A9rale'
        }

        It "makes 'Contoso, Ltd.' one O attribute" {
            $file = Join-Path $out 'comma.req'
            $r = New-OcsCertificateRequest @request -Organization 'Contoso, Ltd.' -OutFile $file
            $rdns = Get-CsrSubjectRdn -Path $file
            $organisations = @($rdns | Where-Object { $_ -like 'O=*' })
            $organisations | Should -HaveCount 1
            $organisations[0] | Should -BeExactly 'O=Contoso\, Ltd.'
            $rdns | Should -HaveCount 5
            $r.Subject | Should -BeExactly 'CN=pool01.contoso.com,O=Contoso\, Ltd.,L=Redmond,ST=Washington,C=US'
        }

        It 'upper-cases the country code' {
            $r = New-OcsCertificateRequest @request -Country us
            $r.Subject | Should -BeLike '*,C=US'
        }
    }

    Context 'bad input' {
        It '<Case> is a terminating <Reason> error naming <Parameter>; nothing is written' -ForEach @(
            @{ Case = "-PoolFqdn 'pool01.contoso.com,CN=evil'"; Override = @{ PoolFqdn = 'pool01.contoso.com,CN=evil' }; Reason = 'InvalidDnsName'; Parameter = 'PoolFqdn' }
            @{ Case = '-PoolFqdn with a newline'; Override = @{ PoolFqdn = "pool01`ncontoso.com" }; Reason = 'InvalidDnsName'; Parameter = 'PoolFqdn' }
            @{ Case = "-SipDomain '*.contoso.com'"; Override = @{ SipDomain = '*.contoso.com'; AutomaticSignIn = $true }; Reason = 'WildcardNotAllowed'; Parameter = 'SipDomain' }
            @{ Case = '-Country USA'; Override = @{ Country = 'USA' }; Reason = 'InvalidCountry'; Parameter = 'Country'; MessageLike = "*use 'US'*" }
            @{ Case = "-Country 'United States'"; Override = @{ Country = 'United States' }; Reason = 'InvalidCountry'; Parameter = 'Country'; MessageLike = "Country: 'United States' is not a two-letter country code; use 'US'*" }
            @{ Case = "-State 'Wash.'"; Override = @{ State = 'Wash.' }; Reason = 'AbbreviatedState'; Parameter = 'State'; MessageLike = '*full name*' }
            @{ Case = '-Organization missing'; Override = @{ Organization = '' }; Reason = 'RequiredField'; Parameter = 'Organization'; MessageLike = 'Organization: A value is required, e.g. Contoso.' }
            @{ Case = '-Country ZZ'; Override = @{ Country = 'ZZ' }; Reason = 'InvalidCountry'; Parameter = 'Country' }
            @{ Case = '-State WA'; Override = @{ State = 'WA' }; Reason = 'AbbreviatedState'; Parameter = 'State'; MessageLike = "*'Washington'*" }
            @{ Case = '-KeySize 1000'; Override = @{ KeyAlgorithm = 'RSA'; KeySize = 1000 }; Reason = 'InvalidKeySize'; Parameter = 'KeySize' }
            @{ Case = '-KeySize 1024 without -AllowWeakKey'; Override = @{ KeyAlgorithm = 'RSA'; KeySize = 1024 }; Reason = 'WeakKeyNotAllowed'; Parameter = 'KeySize' }
            @{ Case = "-Organization ''"; Override = @{ Organization = '' }; Reason = 'RequiredField'; Parameter = 'Organization' }
            @{ Case = 'a 64-character label'; Override = @{ PoolFqdn = ('a' * 64) + '.contoso.com' }; Reason = 'InvalidDnsName'; Parameter = 'PoolFqdn' }
            @{ Case = '-Role WebComponents'; Override = @{ Role = 'WebComponents' }; Reason = 'WebComponentsNotSupported'; Parameter = 'Role'; MessageLike = '*IIS*' }
            @{ Case = 'a 254-character name'; Override = @{ DomainName = ('a' * 63) + '.' + ('b' * 63) + '.' + ('c' * 63) + '.' + ('d' * 58) + '.com' }; Reason = 'InvalidDnsName'; Parameter = 'DomainName' }
            @{ Case = 'a 65-character pool FQDN'; Override = @{ PoolFqdn = ('a' * 53) + '.contoso.com' }; Reason = 'FieldTooLong'; Parameter = 'PoolFqdn' }
            @{ Case = '-OutFile in a missing folder'; Override = @{ OutFile = 'missing-folder/pool01.req' }; Reason = 'InvalidPath'; Parameter = 'OutFile' }
        ) {
            $arguments = $request.Clone()
            $arguments['OutFile'] = Join-Path $out 'pool01.req'
            foreach ($key in $Override.Keys) { $arguments[$key] = $Override[$key] }
            if ($Override.ContainsKey('OutFile')) { $arguments['OutFile'] = Join-Path $out $Override['OutFile'] }

            $err = { New-OcsCertificateRequest @arguments } | Should -Throw -ErrorId "$Reason,New-OcsCertificateRequest" -PassThru
            $err.FullyQualifiedErrorId | Should -BeExactly "$Reason,New-OcsCertificateRequest"
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.Exception.Message | Should -BeLike "${Parameter}: *"
            if ($MessageLike) { $err.Exception.Message | Should -BeLike $MessageLike }

            Get-OcsCertificateRequest -StorePath $store | Should -BeNullOrEmpty
            Get-StoreFile -Path $store | Should -BeNullOrEmpty
            Test-Path -LiteralPath $arguments['OutFile'] | Should -BeFalse
            Get-ChildItem -LiteralPath $out -Force | Should -BeNullOrEmpty
        }

        It "an empty -OutFile is EmptyOutFile, not 'no file'; -Encoding without -OutFile is warned of" {
            $err = { New-OcsCertificateRequest @request -OutFile '' } | Should -Throw -ErrorId 'EmptyOutFile,New-OcsCertificateRequest' -PassThru
            $err.Exception.Message | Should -BeLike 'OutFile: *'
            Get-OcsCertificateRequest -StorePath $store | Should -BeNullOrEmpty
            $made = New-OcsCertificateRequest @request -Encoding Der -WarningVariable warned -WarningAction SilentlyContinue
            $made.OutFile | Should -BeNullOrEmpty
            "$warned" | Should -BeLike '*-Encoding applies to the file -OutFile writes*'
        }

        It 'refuses a path on another PowerShell provider, naming the parameter (NotAFileSystemPath)' {
            $err = { New-OcsCertificateRequest @request -OutFile 'env:OCSCERT_NOT_A_FILE' } | Should -Throw -ErrorId 'NotAFileSystemPath,New-OcsCertificateRequest' -PassThru
            $err.Exception.Message | Should -BeLike "OutFile: 'env:OCSCERT_NOT_A_FILE' is on PowerShell's Environment provider*give a file or folder path."
            { Get-OcsCertificate -StorePath 'env:' } | Should -Throw -ErrorId 'NotAFileSystemPath,Get-OcsCertificate'
            Get-OcsCertificateRequest -StorePath $store | Should -BeNullOrEmpty
        }

        It 'stops the script on bad input (terminating error)' {
            $script:reached = $false
            { New-OcsCertificateRequest @request -Country ZZ; $script:reached = $true } | Should -Throw
            $script:reached | Should -BeFalse
        }

        It '-KeySize 1024 -AllowWeakKey works, with a warning' {
            $request.KeyAlgorithm = 'RSA'
            $file = Join-Path $out 'weak.req'
            $r = New-OcsCertificateRequest @request -KeySize 1024 -AllowWeakKey -OutFile $file -WarningVariable warnings -WarningAction SilentlyContinue
            $r.KeySize | Should -Be 1024
            @($warnings) | Should -HaveCount 1
            "$($warnings[0])" | Should -BeLike '*1024-bit*weak*'
            Get-CsrText -Path $file | Should -Match 'Public-Key: \(1024 bit\)'
        }

        It 'gives no warning for a 2048-bit key' {
            $request.KeyAlgorithm = 'RSA'
            $null = New-OcsCertificateRequest @request -KeySize 2048 -WarningVariable warnings -WarningAction SilentlyContinue
            @($warnings) | Should -HaveCount 0
        }

        It 'refuses an existing -OutFile without -Force (OutFileExists) and keeps it' {
            $file = Join-Path $out 'pool01.req'
            Set-Content -LiteralPath $file -Value 'original' -NoNewline
            $err = { New-OcsCertificateRequest @request -OutFile $file } | Should -Throw -ErrorId 'OutFileExists,New-OcsCertificateRequest' -PassThru
            $err.FullyQualifiedErrorId | Should -BeExactly 'OutFileExists,New-OcsCertificateRequest'
            $err.CategoryInfo.Category | Should -Be 'ResourceExists'
            $err.Exception.Message | Should -BeLike 'OutFile: *'
            Get-Content -LiteralPath $file -Raw | Should -BeExactly 'original'
            Get-OcsCertificateRequest -StorePath $store | Should -BeNullOrEmpty
            Get-StoreFile -Path $store | Should -BeNullOrEmpty
            @(Get-ChildItem -LiteralPath $out -Force).Name | Should -Be @('pool01.req')
        }

        It 'overwrites an existing -OutFile with -Force' {
            $file = Join-Path $out 'pool01.req'
            Set-Content -LiteralPath $file -Value 'original' -NoNewline
            $r = New-OcsCertificateRequest @request -OutFile $file -Force
            (Get-Content -LiteralPath $file -Raw).Trim() | Should -BeExactly $r.RequestPem.Trim()
            $verify = (& openssl req -in $file -noout -verify 2>&1 | ForEach-Object { "$_" }) -join "`n"
            $verify | Should -BeLike '*verify OK*'
            @(Get-ChildItem -LiteralPath $out -Force).Name | Should -Be @('pool01.req')  # no staging file left over
            @(Get-OcsCertificateRequest -StorePath $store).Id | Should -Be @($r.Id)
        }
    }

    Context '-WhatIf' {
        It 'writes nothing: no request, no store, no file' {
            $file = Join-Path $out 'whatif.req'
            $r = New-OcsCertificateRequest @request -OutFile $file -WhatIf
            $r | Should -BeNullOrEmpty
            Test-Path -LiteralPath $file | Should -BeFalse
            Get-OcsCertificateRequest -StorePath $store | Should -BeNullOrEmpty
            Get-StoreFile -Path $store | Should -BeNullOrEmpty
        }

        It '-Confirm where no answer can be given (non-interactive session) writes nothing' {
            $file = Join-Path $out 'confirm.req'
            $psd1 = (Get-Module OcsCertificate).Path -replace "'", "''"
            $command = "Import-Module '$psd1'; " +
                "New-OcsCertificateRequest -PoolFqdn pool01.contoso.com -Organization Contoso -Country US -State Washington -City Redmond " +
                "-KeyAlgorithm ECDSA_P256 -StorePath '$store' -OutFile '$file' -Confirm | Out-Null; 'DONE'"
            $output = @(Invoke-OcsTestPwsh -Command $command)
            $text = $output -join "`n"
            # Says why and what to do, not "Exception calling ShouldProcess".
            $text | Should -BeLike '*asks for confirmation, and this session cannot ask*-Confirm:$false*' -Because 'the confirmation prompt cannot be shown'
            $text | Should -Not -BeLike '*Exception calling*'
            Test-Path -LiteralPath $file | Should -BeFalse -Because "nothing was confirmed:`n$text"
            Get-OcsCertificateRequest -StorePath $store | Should -BeNullOrEmpty -Because "nothing was confirmed:`n$text"
        }

        It 'still reports bad input' {
            { New-OcsCertificateRequest @request -Country ZZ -WhatIf } | Should -Throw -ErrorId 'InvalidCountry,New-OcsCertificateRequest'
            { New-OcsCertificateRequest @request -SipDomain '*.contoso.com' -WhatIf } | Should -Throw -ErrorId 'WildcardNotAllowed,New-OcsCertificateRequest'
            Get-StoreFile -Path $store | Should -BeNullOrEmpty
        }
    }

    Context 'pipeline' {
        It 'pipes its result into Get-OcsCertificateRequest (Id, StorePath by property name)' {
            $r = New-OcsCertificateRequest @request
            $got = @($r | Get-OcsCertificateRequest)
            $got | Should -HaveCount 1
            $got[0].Id | Should -BeExactly $r.Id
            $got[0].PublicKeySha256 | Should -BeExactly $r.PublicKeySha256
            $got[0].StorePath | Should -BeExactly $store
        }

        It 'pipes its result into Remove-OcsCertificateRequest' {
            $keep = New-OcsCertificateRequest @request
            $r = New-OcsCertificateRequest @request
            $r | Remove-OcsCertificateRequest -Confirm:$false
            @(Get-OcsCertificateRequest -StorePath $store).Id | Should -Be @($keep.Id)
            Test-Path -LiteralPath (Join-Path $store "requests/$($r.Id)") | Should -BeFalse
        }

        It 'makes one request per piped object, with PoolFqdn and SipDomain bound by property name' {
            $rows = @(
                [pscustomobject]@{ PoolFqdn = 'pool01.contoso.com'; SipDomain = 'contoso.com' }
                [pscustomobject]@{ PoolFqdn = 'pool02.fabrikam.com'; SipDomain = 'fabrikam.com' }
            )
            $arguments = $request.Clone()
            $arguments.Remove('PoolFqdn')
            $made = @($rows | New-OcsCertificateRequest @arguments -AutomaticSignIn)
            $made | Should -HaveCount 2
            $made[0].AlternativeNames -join ',' | Should -BeExactly 'pool01.contoso.com,sip.contoso.com'
            $made[1].AlternativeNames -join ',' | Should -BeExactly 'pool02.fabrikam.com,sip.fabrikam.com'
            @(Get-OcsCertificateRequest -StorePath $store) | Should -HaveCount 2
        }

        It 'does not carry a property of one piped object over to the next' {
            $rows = @(
                [pscustomobject]@{ PoolFqdn = 'pool01.contoso.com'; SipDomain = 'contoso.com'; AutomaticSignIn = $true; FriendlyName = 'first' }
                [pscustomobject]@{ PoolFqdn = 'pool02.fabrikam.com' }
            )
            $arguments = $request.Clone()
            $arguments.Remove('PoolFqdn')
            $made = @($rows | New-OcsCertificateRequest @arguments)
            $made | Should -HaveCount 2
            $made[1].AlternativeNames -join ',' | Should -BeExactly 'pool02.fabrikam.com'
            $made[1].FriendlyName | Should -BeNullOrEmpty
        }
    }
}
