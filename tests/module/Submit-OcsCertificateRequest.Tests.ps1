# Online submission against a real ACME CA (Pebble, started on loopback): the
# wizard in one command, pipelines, refusals, a CA that is down, -WhatIf, and
# credentials that never show.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force; Import-OcsTestModule
    Import-Module (Join-Path $PSScriptRoot '../../examples/EmbeddedCa.psm1') -Force
    $caFolder = Join-Path ([System.IO.Path]::GetTempPath()) ("ocscert-pebble-" + [guid]::NewGuid().ToString('n'))
    $pebble = Start-OcsEmbeddedCa -Folder $caFolder -BlockedDomain 'blocked.contoso.com'
    $eabKey = 'zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W'
    $eabPebble = Start-OcsEmbeddedCa -Folder (Join-Path $caFolder 'eab') -EabKeyId 'kid-1' -EabMacKey $eabKey
    function Get-Connection($Ca = $pebble) { @{ CA = $Ca.CA; CaBundle = $Ca.CaBundle; HttpListener = $Ca.HttpListener } }
}
AfterAll {
    if ($pebble) { Stop-OcsEmbeddedCa $pebble }
    if ($eabPebble) { Stop-OcsEmbeddedCa $eabPebble }
    Remove-Item -Recurse -Force $caFolder -ErrorAction SilentlyContinue
}

Describe 'Submit-OcsCertificateRequest and New-OcsCertificateRequest -CA' {
    BeforeEach {
        $store = New-OcsTestStore
        $arguments = Get-OcsTestRequestArguments
        $connection = Get-Connection
    }
    AfterEach {
        Remove-Item -LiteralPath $store -Recurse -Force -ErrorAction SilentlyContinue
        $env:OCSCERT_STORE = $null
    }

    It 'runs the wizard in one command: request, submit, issue, install, assign' {
        $certificate = New-OcsCertificateRequest @arguments @connection -Role FrontEnd -SipDomain contoso.com -AutomaticSignIn `
            -Assign -TrustAnchorPath $pebble.RootPath -StorePath $store
        $certificate.PSObject.TypeNames[0] | Should -Be 'OcsCertificate.Certificate'
        $certificate.AlternativeNames | Should -Be @('pool01.contoso.com', 'sip.contoso.com')
        $certificate.Issuer | Should -Match 'Pebble Intermediate CA'
        $certificate.Role | Should -Be @('FrontEnd')
        $certificate.ChainLength | Should -BeGreaterOrEqual 1
        @(Get-OcsCertificateRequest -StorePath $store) | Should -HaveCount 0
        (Get-OcsCertificateBinding -Role FrontEnd -StorePath $store).Thumbprint | Should -Be $certificate.Thumbprint
    }

    It 'sends requests made earlier through the pipeline, by RequestId' {
        $made = New-OcsCertificateRequest @arguments -StorePath $store
        $made.State | Should -Be 'Pending'
        $certificate = Get-OcsCertificateRequest -StorePath $store | Submit-OcsCertificateRequest @connection
        $certificate.RequestId | Should -Be $made.Id
        $certificate.Role | Should -BeNullOrEmpty -Because 'without -Assign nothing is assigned'
        (Get-OcsCertificate -StorePath $store).Thumbprint | Should -Be $certificate.Thumbprint
    }

    It '-WhatIf sends nothing and changes nothing' {
        $made = New-OcsCertificateRequest @arguments -StorePath $store
        Submit-OcsCertificateRequest -RequestId $made.Id @connection -WhatIf -StorePath $store | Should -BeNullOrEmpty
        $kept = Get-OcsCertificateRequest -Id $made.Id -StorePath $store
        $kept.State | Should -Be 'Pending'
        $kept.LastAttempt | Should -BeNullOrEmpty
        @(Get-OcsCertificate -StorePath $store) | Should -HaveCount 0
    }

    It 'keeps a request the CA refuses as Denied with its reason; other requests are not held up' {
        $blocked = New-OcsCertificateRequest @arguments -StorePath $store -PoolFqdn pool01.blocked.contoso.com
        $fine = New-OcsCertificateRequest @arguments -StorePath $store
        $results = Get-OcsCertificateRequest -StorePath $store | Submit-OcsCertificateRequest @connection -ErrorVariable refused -ErrorAction SilentlyContinue
        $refused | Should -HaveCount 1
        $refused[0].FullyQualifiedErrorId | Should -Match '^RejectedIdentifier'
        $refused[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $refused[0].TargetObject.Id | Should -Be $blocked.Id
        $refused[0].Exception.Message | Should -Match 'blocked\.contoso\.com'
        @($results).Count | Should -Be 1
        $results.RequestId | Should -Be $fine.Id
        $denied = Get-OcsCertificateRequest -Id $blocked.Id -StorePath $store
        $denied.State | Should -Be 'Denied'
        $denied.LastErrorReason | Should -Be 'RejectedIdentifier'
        $denied.CA | Should -Be $pebble.CA
        Remove-OcsCertificateRequest -Id $blocked.Id -StorePath $store -Confirm:$false
        @(Get-OcsCertificateRequest -StorePath $store) | Should -HaveCount 0
    }

    It 'reports a CA that is down as a ConnectionError and keeps the request with the reason' {
        $made = New-OcsCertificateRequest @arguments -StorePath $store
        $listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0); $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        { Submit-OcsCertificateRequest -RequestId $made.Id -CA "acme:https://127.0.0.1:$port/dir" -HttpListener $pebble.HttpListener -StorePath $store -ErrorAction Stop } |
            Should -Throw -ErrorId 'CaUnreachable*'
        $kept = Get-OcsCertificateRequest -Id $made.Id -StorePath $store
        $kept.State | Should -Be 'Pending'
        $kept.LastErrorReason | Should -Be 'CaUnreachable'
        $kept.LastError | Should -Match "127\.0\.0\.1:$port"
    }

    It 'New-OcsCertificateRequest -CA keeps the request and shows it when the CA cannot be reached' {
        $listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0); $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $kept = New-OcsCertificateRequest @arguments -CA "acme:https://127.0.0.1:$port/dir" -StorePath $store -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -Match '^CaUnreachable'
        $kept.PSObject.TypeNames[0] | Should -Be 'OcsCertificate.CertificateRequest'
        $kept.LastErrorReason | Should -Be 'CaUnreachable'
    }

    It 'answers the wizard''s enterprise CA string with the NDES address to use, before any key is made' {
        { New-OcsCertificateRequest @arguments -CA 'ca01.contoso.com\Contoso Issuing CA' -StorePath $store -ErrorAction Stop } |
            Should -Throw -ErrorId 'EnterpriseCaUnavailable*' -ExpectedMessage '*scep:https://ca01.contoso.com/certsrv/mscep/mscep.dll*'
        @(Get-OcsCertificateRequest -StorePath $store) | Should -HaveCount 0
    }

    It 'refuses a CA address it cannot use, naming the parameter' -TestCases @(
        @{ Address = 'https://ca.contoso.com/acme'; Expected = 'acme:https://ca.contoso.com/acme' }
        @{ Address = 'acme:http://ca.contoso.com/dir'; Expected = 'https://' }
        @{ Address = 'acme:https://admin:secret@ca.contoso.com/dir'; Expected = '-Credential' }
        @{ Address = "scep:https://ndes.contoso.com/x`ny"; Expected = 'control' }
    ) {
        param($Address, $Expected)
        $err = $null
        try { New-OcsCertificateRequest @arguments -CA $Address -StorePath $store -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Match '^InvalidCaAddress'
        $err.Exception.Message | Should -BeLike "CA: *$Expected*"
        $err.Exception.Message | Should -Not -Match 'secret'
        # Nor anywhere else the error is kept ($Error, Get-Error, a transcript): the target loses the password too.
        ($err | Format-List * -Force | Out-String -Width 500) + "$($err.TargetObject)" | Should -Not -Match 'secret'
        @(Get-OcsCertificateRequest -StorePath $store) | Should -HaveCount 0
    }

    It 'installs but does not assign when the chain check fails, and says why' {
        $certificate = New-OcsCertificateRequest @arguments @connection -Assign -StorePath $store -ErrorVariable refused -ErrorAction SilentlyContinue
        $certificate.Thumbprint | Should -Match '^[0-9A-F]{40}$'
        $certificate.Role | Should -BeNullOrEmpty
        $refused[0].FullyQualifiedErrorId | Should -Match '^ChainCheckFailed'
        $refused[0].Exception.Message | Should -Match 'Installed as [0-9A-F]{40} but not assigned'
        @(Get-OcsCertificateBinding -StorePath $store) | Should -HaveCount 0
    }

    It 'answers http-01 from a web root that the site''s web server serves, and cleans it up' {
        # The site's web server: a static file server on the port Pebble checks.
        $webRoot = Join-Path $store 'wwwroot'
        $null = New-Item -ItemType Directory -Force $webRoot
        $port = ($pebble.HttpListener -split ':')[-1]
        $web = [System.Net.HttpListener]::new()
        $web.Prefixes.Add("http://+:$port/")
        $web.Start()
        $server = [powershell]::Create().AddScript({
                param($web, $root)
                while ($web.IsListening) {
                    try { $context = $web.GetContext() } catch { break }
                    $file = Join-Path $root $context.Request.Url.AbsolutePath.TrimStart('/')
                    if (Test-Path -LiteralPath $file -PathType Leaf) {
                        $bytes = [System.IO.File]::ReadAllBytes($file)
                        $context.Response.OutputStream.Write($bytes, 0, $bytes.Length)
                    }
                    else { $context.Response.StatusCode = 404 }
                    $context.Response.Close()
                }
            }).AddArgument($web).AddArgument($webRoot)
        $running = $server.BeginInvoke()
        try {
            $certificate = New-OcsCertificateRequest @arguments -CA $pebble.CA -CaBundle $pebble.CaBundle -WebRoot $webRoot -StorePath $store
            $certificate.Thumbprint | Should -Match '^[0-9A-F]{40}$'
            @(Get-ChildItem -Recurse -File $webRoot) | Should -HaveCount 0 -Because 'the challenge answers are removed afterwards'
        }
        finally {
            $web.Stop()
            $null = $running.AsyncWaitHandle.WaitOne(5000)
            $server.Dispose()
        }
    }

    It 'uses external account binding from -Credential and never shows the HMAC key' {
        $eab = Get-Connection $eabPebble
        $made = New-OcsCertificateRequest @arguments -StorePath $store
        { Submit-OcsCertificateRequest -RequestId $made.Id @eab -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId 'ExternalAccountRequired*'
        # The CA's refusal is recorded on the request, as a CA that is down would be.
        $refused = Get-OcsCertificateRequest -Id $made.Id -StorePath $store
        $refused.State | Should -Be 'Pending'
        $refused.LastErrorReason | Should -Be 'ExternalAccountRequired'
        $refused.LastError | Should -BeLike '*external account binding*'
        $wrongKey = 'b10lLJs8l1GPIzsLP0s6pMt8O0XVGnfTaCeROxQM0BIt2XrJMDHJZBM5NuQmQJQH'
        $wrong = [pscredential]::new('kid-1', (ConvertTo-SecureString $wrongKey -AsPlainText -Force))
        $err = $null
        try { Submit-OcsCertificateRequest -RequestId $made.Id @eab -Credential $wrong -StorePath $store -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Match '^ExternalAccountRejected'
        ($err | Out-String) | Should -Not -Match $wrongKey
        (Get-OcsCertificateRequest -Id $made.Id -StorePath $store | ConvertTo-Json -Depth 5) | Should -Not -Match $wrongKey
        $right = [pscredential]::new('kid-1', (ConvertTo-SecureString $eabKey -AsPlainText -Force))
        $certificate = Submit-OcsCertificateRequest -RequestId $made.Id @eab -Credential $right -StorePath $store -Verbose 4>&1 | Out-String
        $certificate | Should -Not -Match $eabKey
        @(Get-OcsCertificate -StorePath $store) | Should -HaveCount 1
        Get-ChildItem -Recurse -File $store | ForEach-Object { Get-Content -Raw $_.FullName } | Should -Not -Match $eabKey
    }
}

Describe 'Submit-OcsCertificateRequest to an NDES-style SCEP CA (scepserver)' {
    BeforeAll {
        $scep = Start-OcsTestScepCa
        $challenge = [pscredential]::new('ndes', (ConvertTo-SecureString 'Secret-Challenge-17' -AsPlainText -Force))
        $wrong = [pscredential]::new('ndes', (ConvertTo-SecureString 'Wrong-Challenge-99' -AsPlainText -Force))
    }
    AfterAll { Stop-OcsTestScepCa $scep }
    BeforeEach {
        $store = New-OcsTestStore
        $arguments = Get-OcsTestRequestArguments
        $arguments.KeyAlgorithm = 'RSA'  # this scepserver signs only RSA requests
    }
    AfterEach {
        Remove-Item -LiteralPath $store -Recurse -Force -ErrorAction SilentlyContinue
        $env:OCSCERT_STORE = $null
    }

    # This scepserver issues client authentication only (a real NDES applies its template's usages): the
    # exchange goes through to issuance, and the answer is then refused as not what the request asked for.
    It 'gets the CA to issue with the challenge password from -Credential, pinned by the CA fingerprint, and refuses its client-only certificate' {
        $made = New-OcsCertificateRequest @arguments -SipDomain contoso.com -AutomaticSignIn -StorePath $store
        $err = { $made | Submit-OcsCertificateRequest -CA "scep:$($scep.Url)" -Credential $challenge -CaFingerprint $scep.Fingerprint } |
            Should -Throw -ErrorId 'UsageDiffers,Submit-OcsCertificateRequest' -PassThru
        $err.Exception.Message | Should -BeLike 'CA: *lacks ServerAuthentication in its enhanced key usage (it has: ClientAuthentication)*stays pending*'
        @(Get-OcsCertificate -StorePath $store) | Should -HaveCount 0
        $kept = Get-OcsCertificateRequest -Id $made.Id -StorePath $store
        $kept.State | Should -Be 'Pending'
        $kept.LastErrorReason | Should -Be 'UsageDiffers'
    }

    It 'assigns nothing with -Assign: the client-only certificate is not installed' {
        $certificate = New-OcsCertificateRequest @arguments -CA "scep:$($scep.Url)" -Credential $challenge -Assign -StorePath $store -ErrorVariable refused -ErrorAction SilentlyContinue
        $certificate.PSObject.TypeNames[0] | Should -Be 'OcsCertificate.CertificateRequest'  # the request, kept
        $refused[0].FullyQualifiedErrorId | Should -Match '^UsageDiffers'
        @(Get-OcsCertificateBinding -StorePath $store) | Should -HaveCount 0
    }

    It 'keeps a request refused for a wrong challenge as Denied, and never shows the password' {
        $made = New-OcsCertificateRequest @arguments -StorePath $store
        $made | Submit-OcsCertificateRequest -CA "scep:$($scep.Url)" -Credential $wrong -ErrorVariable refused -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $refused[0].FullyQualifiedErrorId | Should -Match '^BadRequest'
        $refused[0].Exception.Message | Should -Match 'challenge password'
        ($refused | Out-String) + (Get-OcsCertificateRequest -StorePath $store | ConvertTo-Json -Depth 5) | Should -Not -Match 'Wrong-Challenge-99'
        (Get-OcsCertificateRequest -Id $made.Id -StorePath $store).State | Should -Be 'Denied'
        # Denied is not the end: with the right challenge the CA issues (and its client-only answer is refused, as above).
        { Submit-OcsCertificateRequest -RequestId $made.Id -CA "scep:$($scep.Url)" -Credential $challenge -StorePath $store } |
            Should -Throw -ErrorId 'UsageDiffers,Submit-OcsCertificateRequest'
        (Get-OcsCertificateRequest -Id $made.Id -StorePath $store).State | Should -Be 'Pending'
    }

    It 'stops before sending anything when the CA fingerprint does not match' {
        $made = New-OcsCertificateRequest @arguments -StorePath $store
        $err = $null
        try { Submit-OcsCertificateRequest -RequestId $made.Id -CA "scep:$($scep.Url)" -Credential $challenge -CaFingerprint ('AB' * 32) -StorePath $store -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Match '^CaFingerprintMismatch'
        $err.Exception.Message | Should -BeLike 'CaFingerprint: *'
        $err.Exception.Message | Should -Match (($scep.Fingerprint -replace ':', '').ToLowerInvariant())
        (Get-OcsCertificateRequest -Id $made.Id -StorePath $store).LastErrorReason | Should -Be 'CaFingerprintMismatch'
    }
}
