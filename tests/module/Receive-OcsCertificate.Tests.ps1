# Requests that wait at the CA: Pebble finalizes orders asynchronously, so with
# -WaitSeconds 0 the order is left "processing" and the request waits, durably,
# until Receive-OcsCertificate collects it.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force; Import-OcsTestModule
    Import-Module (Join-Path $PSScriptRoot '../../examples/EmbeddedCa.psm1') -Force
    $caFolder = Join-Path ([System.IO.Path]::GetTempPath()) ("ocscert-pebble-" + [guid]::NewGuid().ToString('n'))
    $pebble = Start-OcsEmbeddedCa -Folder $caFolder
    $connection = @{ CA = $pebble.CA; CaBundle = $pebble.CaBundle; HttpListener = $pebble.HttpListener }
}
AfterAll {
    if ($pebble) { Stop-OcsEmbeddedCa $pebble }
    Remove-Item -Recurse -Force $caFolder -ErrorAction SilentlyContinue
}

Describe 'Receive-OcsCertificate' {
    BeforeEach {
        $store = New-OcsTestStore
        $arguments = Get-OcsTestRequestArguments
    }
    AfterEach {
        Remove-Item -LiteralPath $store -Recurse -Force -ErrorAction SilentlyContinue
        $env:OCSCERT_STORE = $null
    }

    It 'leaves a request the CA is still working on Submitted, with the CA''s id and a next poll time' {
        $waiting = New-OcsCertificateRequest @arguments @connection -WaitSeconds 0 -StorePath $store
        $waiting.PSObject.TypeNames[0] | Should -Be 'OcsCertificate.CertificateRequest'
        $waiting.State | Should -Be 'Submitted'
        $waiting.CaRequestId | Should -Match '^https://127\.0\.0\.1:\d+/'
        $waiting.NextPoll | Should -BeOfType [datetime]
        $waiting.CA | Should -Be $pebble.CA
        # Durable: another session sees it the same.
        (Get-OcsCertificateRequest -Id $waiting.Id -StorePath $store).State | Should -Be 'Submitted'
        (Get-OcsCertificateRequest -StorePath $store | Format-Table | Out-String) | Should -Match 'next poll'
    }

    It 'collects it by -RequestId at once, installs and assigns it' {
        $waiting = New-OcsCertificateRequest @arguments @connection -Role FrontEnd -WaitSeconds 0 -StorePath $store
        $certificate = Receive-OcsCertificate -RequestId $waiting.Id -Assign -TrustAnchorPath $pebble.RootPath -StorePath $store
        $certificate.RequestId | Should -Be $waiting.Id
        $certificate.Role | Should -Be @('FrontEnd')
        @(Get-OcsCertificateRequest -StorePath $store) | Should -HaveCount 0
    }

    It 'polls politely: without -RequestId only requests that are due are asked about' {
        $waiting = New-OcsCertificateRequest @arguments @connection -WaitSeconds 0 -StorePath $store
        $early = Receive-OcsCertificate -StorePath $store -Verbose 4>&1
        (($early | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n") | Should -Match "$($waiting.Id) is not due"
        @(Get-OcsCertificate -StorePath $store) | Should -HaveCount 0
        $waiting.NextPoll | Should -BeGreaterThan (Get-Date).ToUniversalTime().AddSeconds(20) -Because 'without Retry-After an ACME order is asked about again after 30 s'
        # Time passes: the next poll time comes.
        $record = Join-Path $store "requests/$($waiting.Id)/request.json"
        $json = Get-Content -Raw $record | ConvertFrom-Json -AsHashtable
        $json.nextPoll = '2000-01-01T00:00:00.000Z'
        $json | ConvertTo-Json -Depth 10 | Set-Content -LiteralPath $record
        $certificate = Receive-OcsCertificate -StorePath $store
        $certificate.RequestId | Should -Be $waiting.Id
    }

    It 'has nothing to do without error when no request waits' {
        $null = New-OcsCertificateRequest @arguments -StorePath $store
        Receive-OcsCertificate -StorePath $store -ErrorVariable problems | Should -BeNullOrEmpty
        $problems | Should -BeNullOrEmpty
    }

    It 'refuses -RequestId for a request that was never submitted, naming the parameter' {
        $made = New-OcsCertificateRequest @arguments -StorePath $store
        { Receive-OcsCertificate -RequestId $made.Id -StorePath $store -ErrorAction Stop } | Should -Throw -ErrorId 'NotSubmitted*' -ExpectedMessage 'Id: *submit it first*'
    }

    It 'one request whose CA is gone does not stop the others' {
        $lost = New-OcsCertificateRequest @arguments @connection -WaitSeconds 0 -StorePath $store
        $other = New-OcsCertificateRequest @arguments @connection -WaitSeconds 0 -StorePath $store
        # The first request's CA disappears: its record now points at a closed port.
        $record = Join-Path $store "requests/$($lost.Id)/request.json"
        $listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0); $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $json = Get-Content -Raw $record | ConvertFrom-Json -AsHashtable
        $json.caConnection.ca = "acme:https://127.0.0.1:$port/dir"
        $json | ConvertTo-Json -Depth 10 | Set-Content -LiteralPath $record
        foreach ($id in $lost.Id, $other.Id) {  # both are due
            $path = Join-Path $store "requests/$id/request.json"
            $due = Get-Content -Raw $path | ConvertFrom-Json -AsHashtable
            $due.nextPoll = '2000-01-01T00:00:00.000Z'
            $due | ConvertTo-Json -Depth 10 | Set-Content -LiteralPath $path
        }
        $certificates = Receive-OcsCertificate -StorePath $store -ErrorVariable problems -ErrorAction SilentlyContinue
        @($certificates).RequestId | Should -Be @($other.Id)
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -Match '^CaUnreachable'
        $problems[0].Exception.Message | Should -Match $lost.Id
        (Get-OcsCertificateRequest -Id $lost.Id -StorePath $store).LastErrorReason | Should -Be 'CaUnreachable'
    }
}
