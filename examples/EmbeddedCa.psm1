# The embedded default CA of the demo and the tests: Pebble (Debian package
# pebble), a real ACME CA, started on loopback in a throwaway folder.
# pebble-challtestsrv answers Pebble's DNS lookups with 127.0.0.1 for every name
# (and no AAAA), so Pebble's http-01 checks for pool01.contoso.com land on the
# OcsCert listener at 127.0.0.1:<HttpPort>: real validation, no hosts file.
# The pool lab (PoolHosts.psm1) starts it on its bridge's address instead, with
# http-01 checks on port 80 and no default address: Set-OcsEmbeddedCaRecord
# points each member's name at that member.

function Get-FreePort([string] $Address = '127.0.0.1') {
    $listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Parse($Address), 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Wait-Port([int] $Port, $Process, [string] $Log, [string] $Address = '127.0.0.1') {
    foreach ($attempt in 1..200) {
        try { $probe = [System.Net.Sockets.TcpClient]::new($Address, $Port); $probe.Dispose(); return } catch { Start-Sleep -Milliseconds 50 }
        if ($Process.HasExited) { break }
    }
    throw "The embedded CA did not start listening on port ${Port}: $(Get-Content -Raw $Log -ErrorAction SilentlyContinue)"
}

function Start-OcsEmbeddedCa {
    <#
    .SYNOPSIS
    Starts Pebble on loopback; returns where it is (CA address, TLS bundle, http-01 listener, root).
    #>
    param(
        [Parameter(Mandatory)] [string] $Folder,
        [int] $NonceRejectPercent = 0,
        [string] $EabKeyId,
        [string] $EabMacKey,
        [string[]] $BlockedDomain = @(),
        # Lifetime of issued certificates; short ones let renewal be shown for real.
        [int] $ValiditySeconds,
        # Where the ACME and management endpoints listen (an address of this machine); the TLS
        # certificate covers it. The pool lab uses its bridge's address so members reach the CA.
        [ValidateScript({ [ipaddress]::TryParse($_, [ref] $null) })]
        [string] $ListenAddress = '127.0.0.1',
        # The port Pebble's http-01 checks connect to (on whatever address the name resolves to);
        # by default a free loopback port, which HttpListener names.
        [ValidateRange(1, 65535)]
        [int] $HttpPort,
        # The address every name without an A record of its own resolves to; '' for none, so a
        # name nobody set fails validation instead of landing on this machine.
        [string] $DefaultIPv4 = '127.0.0.1'
    )
    $null = New-Item -ItemType Directory -Force $Folder
    $tlsCert = Join-Path $Folder 'tls-cert.pem'
    $tlsKey = Join-Path $Folder 'tls-key.pem'
    # The ACME endpoint's own TLS identity, trusted by OcsCert through -CaBundle.
    $san = 'DNS:localhost,IP:127.0.0.1'
    if ($ListenAddress -ne '127.0.0.1') { $san += ",IP:$ListenAddress" }
    & openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj '/CN=localhost' `
        -addext "subjectAltName=$san" -keyout $tlsKey -out $tlsCert 2>$null
    if ($LASTEXITCODE -ne 0) { throw 'openssl could not make the embedded CA''s TLS certificate.' }
    $ports = @{ Acme = Get-FreePort $ListenAddress; Management = Get-FreePort $ListenAddress; Http = Get-FreePort; Tls = Get-FreePort; Dns = Get-FreePort; DnsManagement = Get-FreePort }
    if ($HttpPort) { $ports.Http = $HttpPort }
    $config = @{ pebble = [ordered]@{
            listenAddress                  = "${ListenAddress}:$($ports.Acme)"
            managementListenAddress        = "${ListenAddress}:$($ports.Management)"
            certificate                    = $tlsCert
            privateKey                     = $tlsKey
            httpPort                       = $ports.Http
            tlsPort                        = $ports.Tls
            ocspResponderURL               = ''
            externalAccountBindingRequired = [bool] $EabKeyId
            domainBlocklist                = @($BlockedDomain)
        }
    }
    if ($EabKeyId) { $config.pebble['externalAccountMACKeys'] = @{ $EabKeyId = $EabMacKey } }
    if ($ValiditySeconds) { $config.pebble['certificateValidityPeriod'] = $ValiditySeconds }
    $configFile = Join-Path $Folder 'pebble.json'
    $config | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath $configFile

    $dnsLog = Join-Path $Folder 'challtestsrv.log'
    # Both processes run in the CA's folder: whoever cleans up after a killed run can tell them by it.
    $dns = Start-Process pebble-challtestsrv -PassThru -WorkingDirectory $Folder -RedirectStandardOutput $dnsLog -RedirectStandardError "$dnsLog.err" -ArgumentList @(
        '-dns01', "127.0.0.1:$($ports.Dns)", '-http01', '""', '-https01', '""', '-tlsalpn01', '""', '-defaultIPv6', '""',
        '-defaultIPv4', $(if ($DefaultIPv4) { $DefaultIPv4 } else { '""' }), '-management', "127.0.0.1:$($ports.DnsManagement)")
    $ca = [pscustomobject]@{
        PSTypeName    = 'OcsCertificate.EmbeddedCa'
        CA            = "acme:https://${ListenAddress}:$($ports.Acme)/dir"
        CaBundle      = $tlsCert
        HttpListener  = "127.0.0.1:$($ports.Http)"
        RootPath      = Join-Path $Folder 'root.pem'
        Folder        = $Folder
        Processes     = @($dns)
        ListenAddress = $ListenAddress
        # pebble-challtestsrv's management API: Set-OcsEmbeddedCaRecord sets A records through it.
        DnsManagement = "http://127.0.0.1:$($ports.DnsManagement)"
    }
    try {
        Wait-Port $ports.DnsManagement $dns $dnsLog
        $log = Join-Path $Folder 'pebble.log'
        $saved = @{ PEBBLE_VA_NOSLEEP = $env:PEBBLE_VA_NOSLEEP; PEBBLE_WFE_NONCEREJECT = $env:PEBBLE_WFE_NONCEREJECT; PEBBLE_AUTHZREUSE = $env:PEBBLE_AUTHZREUSE }
        $env:PEBBLE_VA_NOSLEEP = '1'
        $env:PEBBLE_WFE_NONCEREJECT = "$NonceRejectPercent"
        $env:PEBBLE_AUTHZREUSE = '0'
        try {
            $pebble = Start-Process pebble -PassThru -WorkingDirectory $Folder -RedirectStandardOutput $log -RedirectStandardError "$log.err" -ArgumentList @(
                '-config', $configFile, '-dnsserver', "127.0.0.1:$($ports.Dns)")
        }
        finally { foreach ($name in $saved.Keys) { Set-Item "env:$name" $saved[$name] } }
        $ca.Processes += $pebble
        Wait-Port $ports.Acme $pebble $log $ListenAddress
        Wait-Port $ports.Management $pebble $log $ListenAddress
        # Pebble makes a new root at every start; the chain check needs it as a trust anchor.
        Invoke-WebRequest -Uri "https://${ListenAddress}:$($ports.Management)/roots/0" -SkipCertificateCheck -OutFile $ca.RootPath
        $ca
    }
    catch {
        Stop-OcsEmbeddedCa $ca
        throw
    }
}

function Stop-OcsEmbeddedCa {
    <#
    .SYNOPSIS
    Stops the processes of an embedded CA started by Start-OcsEmbeddedCa.
    #>
    param([Parameter(Mandatory)] $Ca)
    foreach ($process in $Ca.Processes) {
        if ($process -and -not $process.HasExited) { $process.Kill(); $null = $process.WaitForExit(5000) }
    }
}

function Set-OcsEmbeddedCaRecord {
    <#
    .SYNOPSIS
    Makes a name resolve, for the embedded CA's checks, to exactly these IPv4 addresses (none: the default again).
    #>
    param(
        [Parameter(Mandatory)] $Ca,
        [Parameter(Mandatory)] [string] $Name,
        [string[]] $Address = @()
    )
    foreach ($item in $Address) {
        $parsed = $null
        if (-not [ipaddress]::TryParse($item, [ref] $parsed) -or $parsed.AddressFamily -ne 'InterNetwork') {
            throw "Set-OcsEmbeddedCaRecord: -Address '$item' is not an IPv4 address (e.g. 10.200.0.11)."
        }
    }
    $fqdn = $Name.TrimEnd('.') + '.'
    # add-a adds to what is there, so clear first: the records are exactly -Address afterwards.
    $null = Invoke-RestMethod -Method Post -Uri "$($Ca.DnsManagement)/clear-a" -Body (@{ host = $fqdn } | ConvertTo-Json)
    if ($Address.Count) {
        $null = Invoke-RestMethod -Method Post -Uri "$($Ca.DnsManagement)/add-a" -Body (@{ host = $fqdn; addresses = @($Address) } | ConvertTo-Json)
    }
}

Export-ModuleMember -Function Start-OcsEmbeddedCa, Stop-OcsEmbeddedCa, Set-OcsEmbeddedCaRecord
