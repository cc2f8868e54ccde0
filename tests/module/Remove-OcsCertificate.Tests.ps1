# Removing installed certificates, with PFX files made by the openssl CLI (as
# tests/native/binding/import_export_test.cpp does): an unused certificate goes, a
# role's current one stays even when forced, a previous one goes only when forced (and the
# role forgets it), a pipeline goes on past refusals, and confirmation is asked.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force; Import-OcsTestModule

    $ca = Join-Path ([System.IO.Path]::GetTempPath()) ("ocscert-ca-" + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory $ca
    $root = Join-Path $ca 'root.pem'
    & openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj '/CN=Test-Root' -days 60 `
        -keyout (Join-Path $ca 'root.key') -out $root 2>$null
    if ($LASTEXITCODE -ne 0) { throw 'the test root could not be made' }
    $password = ConvertTo-SecureString 'S3cret' -AsPlainText -Force
    # Three certificates that expire in this order (Get-OcsCertificate lists soonest first): a, b, c.
    $pfx = @{}
    foreach ($name in @{ a = 10; b = 20; c = 30 }.GetEnumerator()) {
        $base = Join-Path $ca $name.Key
        & openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=pool01.contoso.com/OU=$($name.Key)" `
            -addext 'subjectAltName=DNS:pool01.contoso.com' -addext 'extendedKeyUsage=serverAuth,clientAuth' `
            -keyout "$base.key" -out "$base.req" 2>$null
        & openssl x509 -req -in "$base.req" -CA $root -CAkey (Join-Path $ca 'root.key') -CAcreateserial -days $name.Value `
            -copy_extensions copy -out "$base.cer" 2>$null
        & openssl pkcs12 -export -in "$base.cer" -inkey "$base.key" -certfile $root -passout 'pass:S3cret' -out "$base.pfx" 2>$null
        if ($LASTEXITCODE -ne 0) { throw "the test PFX $($name.Key) could not be made" }
        $pfx[$name.Key] = "$base.pfx"
    }

    function Import-TestCertificate([string] $Name, [string] $Store) {
        (Import-OcsCertificate -Path $pfx[$Name] -Password $password -StorePath $Store).Thumbprint
    }
    function Get-Installed([string] $Store) { @(Get-OcsCertificate -StorePath $Store).Thumbprint }
}
AfterAll { Remove-Item -Recurse -Force $ca -ErrorAction SilentlyContinue }

Describe 'Remove-OcsCertificate' {
    BeforeEach {
        $store = New-OcsTestStore
        $a = Import-TestCertificate a $store
        $b = Import-TestCertificate b $store
    }
    AfterEach {
        Remove-Item -LiteralPath $store -Recurse -Force -ErrorAction SilentlyContinue
        $env:OCSCERT_STORE = $null
    }

    It 'removes an unassigned certificate, its key and folder, and nothing else' {
        $output = Remove-OcsCertificate -Thumbprint $a -StorePath $store -Confirm:$false
        $output | Should -BeNullOrEmpty
        Get-Installed $store | Should -Be @($b)
        Join-Path $store "certificates/$a" | Should -Not -Exist
        @(Get-ChildItem -LiteralPath (Join-Path $store 'certificates') -Force).Name | Should -Be @($b)  # no half-removed folder
        { Export-OcsCertificate -Thumbprint $a -Path (Join-Path $store 'x.pem') -StorePath $store } |
            Should -Throw -ErrorId 'CertificateNotFound,Export-OcsCertificate'
    }

    It 'accepts the thumbprint in lower case' {
        Remove-OcsCertificate -Thumbprint $a.ToLowerInvariant() -StorePath $store -Confirm:$false
        Get-Installed $store | Should -Be @($b)
    }

    It 'refuses a certificate assigned to a role: CertificateInUse, non-terminating, and it stays' {
        $null = Set-OcsCertificate -Role FrontEnd -Thumbprint $a -TrustAnchorPath $root -StorePath $store
        $errors = $null
        $terminated = $null
        try { $output = Remove-OcsCertificate -Thumbprint $a -StorePath $store -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue }
        catch { $terminated = $_ }
        $terminated | Should -BeNullOrEmpty -Because 'a refusal is a non-terminating error, which -ErrorAction SilentlyContinue silences'
        $output | Should -BeNullOrEmpty
        @($errors) | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeExactly 'CertificateInUse,Remove-OcsCertificate'
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidOperation' -Because 'nothing exists already: the certificate is in use'
        $errors[0].Exception.Message | Should -BeLike "Thumbprint:*$a*"
        Get-Installed $store | Should -Contain $a
        Join-Path $store "certificates/$a/key.pem" | Should -Exist
        (Get-OcsCertificateBinding -Role FrontEnd -StorePath $store).Thumbprint | Should -Be $a
    }

    It 'refuses a role''s previous certificate (assign a, then b: a is kept for -Previous)' {
        $null = Set-OcsCertificate -Role FrontEnd -Thumbprint $a -TrustAnchorPath $root -StorePath $store
        $null = Set-OcsCertificate -Role FrontEnd -Thumbprint $b -TrustAnchorPath $root -StorePath $store
        { Remove-OcsCertificate -Thumbprint $a -StorePath $store -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'CertificateInUse,Remove-OcsCertificate'
        Get-Installed $store | Should -Contain $a
        # The roll-back it is kept for still works.
        (Set-OcsCertificate -Role FrontEnd -Previous -TrustAnchorPath $root -StorePath $store).Thumbprint | Should -Be $a
    }

    It 'refuses a role''s certificate even with -Force, so no role is left bound to a certificate that is gone' {
        $null = Set-OcsCertificate -Role FrontEnd -Thumbprint $a -TrustAnchorPath $root -StorePath $store
        $err = { Remove-OcsCertificate -Thumbprint $a -Force -StorePath $store -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'CertificateInUse,Remove-OcsCertificate' -PassThru
        $err.Exception.Message | Should -BeLike '*FrontEnd*Set-OcsCertificate*'
        Get-Installed $store | Should -Contain $a
        (Test-OcsCertificate -Role FrontEnd -TrustAnchorPath $root -StorePath $store | Where-Object Check -EQ 'Validity').Passed | Should -BeTrue
    }

    It 'removes a role''s previous certificate with -Force, and the role forgets it' {
        $null = Set-OcsCertificate -Role FrontEnd -Thumbprint $a -TrustAnchorPath $root -StorePath $store
        $null = Set-OcsCertificate -Role FrontEnd -Thumbprint $b -TrustAnchorPath $root -StorePath $store
        Remove-OcsCertificate -Thumbprint $a -Force -StorePath $store -Confirm:$false
        Get-Installed $store | Should -Be @($b)
        (Get-OcsCertificateBinding -Role FrontEnd -StorePath $store).PreviousThumbprint | Should -BeNullOrEmpty
        { Set-OcsCertificate -Role FrontEnd -Previous -TrustAnchorPath $root -StorePath $store } |
            Should -Throw -ErrorId 'NoPreviousBinding,Set-OcsCertificate'
        # The live copies services read are the role's current certificate, untouched.
        (& openssl x509 -in (Join-Path $store 'live/FrontEnd/cert.pem') -noout -serial) | Should -Be (& openssl x509 -in (Join-Path $ca 'b.cer') -noout -serial)
    }

    It 'Test-OcsCertificate -Role reports a failed Installed check when the role''s certificate is gone (deleted by hand)' {
        $null = Set-OcsCertificate -Role FrontEnd -Thumbprint $a -TrustAnchorPath $root -StorePath $store
        Remove-Item -LiteralPath (Join-Path $store "certificates/$a") -Recurse -Force
        $results = @(Test-OcsCertificate -Role FrontEnd -TrustAnchorPath $root -StorePath $store)
        $results | Should -HaveCount 1
        $results[0].Check | Should -Be 'Installed'
        $results[0].Passed | Should -BeFalse
        $results[0].Detail | Should -BeLike "*$a*no longer installed*"
    }

    It 'removes the unused certificates piped from Get-OcsCertificate and reports one error per used one' {
        $c = Import-TestCertificate c $store
        $null = Set-OcsCertificate -Role FrontEnd -Thumbprint $a -TrustAnchorPath $root -StorePath $store
        $null = Set-OcsCertificate -Role FrontEnd -Thumbprint $b -TrustAnchorPath $root -StorePath $store  # a is now previous
        Get-Installed $store | Should -Be @($a, $b, $c)  # the refused ones come first in the pipeline
        $env:OCSCERT_STORE = $null  # only the piped StorePath names the store
        $errors = $null
        $terminated = $null
        try { Get-OcsCertificate -StorePath $store | Remove-OcsCertificate -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue }
        catch { $terminated = $_ }
        $terminated | Should -BeNullOrEmpty -Because 'one refused certificate must not stop the rest of the pipeline'
        Get-Installed $store | Should -Be @($a, $b) -Because 'c, unused and piped after the refused a and b, is removed'
        @($errors) | Should -HaveCount 2
        @($errors.FullyQualifiedErrorId | Select-Object -Unique) | Should -Be @('CertificateInUse,Remove-OcsCertificate')
        $errors[0].Exception.Message | Should -BeLike "*$a*"
        $errors[1].Exception.Message | Should -BeLike "*$b*"
    }

    It 'keeps the certificate with -WhatIf' {
        $output = Remove-OcsCertificate -Thumbprint $a -StorePath $store -WhatIf
        $output | Should -BeNullOrEmpty
        Get-Installed $store | Should -Be @($a, $b)
        Join-Path $store "certificates/$a/key.pem" | Should -Exist
    }

    It 'declares SupportsShouldProcess with ConfirmImpact High' {
        $binding = (Get-Command Remove-OcsCertificate).ScriptBlock.Attributes |
            Where-Object { $_ -is [System.Management.Automation.CmdletBindingAttribute] }
        $binding.SupportsShouldProcess | Should -BeTrue
        $binding.ConfirmImpact | Should -Be ([System.Management.Automation.ConfirmImpact]::High)
    }

    It 'asks for confirmation by default: a non-interactive session removes only with -Confirm:$false' {
        $psd1 = (Get-Module OcsCertificate).Path -replace "'", "''"
        $command = "Import-Module '$psd1'; " +
            "Remove-OcsCertificate -Thumbprint $a -StorePath '$store'; 'LEFT=' + @(Get-OcsCertificate -StorePath '$store').Count; " +
            "Remove-OcsCertificate -Thumbprint $a -StorePath '$store' -Confirm:`$false; 'LEFT=' + @(Get-OcsCertificate -StorePath '$store').Count"
        $output = @(Invoke-OcsTestPwsh -Command $command)
        $text = $output -join "`n"
        # Says why and what to do, not "Exception calling ShouldProcess".
        $text | Should -BeLike '*asks for confirmation, and this session cannot ask*-Confirm:$false*' -Because 'the confirmation prompt cannot be shown'
        $text | Should -Not -BeLike '*Exception calling*'
        $left = @($output | Where-Object { $_ -like 'LEFT=*' })
        $left | Should -HaveCount 2 -Because $text
        $left[0] | Should -BeExactly 'LEFT=2' -Because "confirmation could not be obtained, so the certificate must stay:`n$text"
        $left[1] | Should -BeExactly 'LEFT=1' -Because $text
        Get-Installed $store | Should -Be @($b)
    }

    It 'an unknown thumbprint is CertificateNotFound, category ObjectNotFound' {
        $err = { Remove-OcsCertificate -Thumbprint ('A' * 40) -StorePath $store -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'CertificateNotFound,Remove-OcsCertificate' -PassThru
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.Exception.Message | Should -BeLike 'Thumbprint:*'
        Get-Installed $store | Should -Be @($a, $b)
        # Removed once, a second removal finds nothing.
        Remove-OcsCertificate -Thumbprint $a -StorePath $store -Confirm:$false
        { Remove-OcsCertificate -Thumbprint $a -StorePath $store -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'CertificateNotFound,Remove-OcsCertificate'
    }
}
