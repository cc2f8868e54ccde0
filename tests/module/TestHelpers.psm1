# Shared by the module's test files: a fresh store per test and the module import.
$repo = Resolve-Path (Join-Path $PSScriptRoot '../..')

function Import-OcsTestModule {
    Import-Module (Join-Path $repo 'module/OcsCertificate/OcsCertificate.psd1') -Force -Global
}

# A new empty store folder under the test drive; also set as $env:OCSCERT_STORE.
function New-OcsTestStore {
    $path = Join-Path ([System.IO.Path]::GetTempPath()) ("ocscert-test-" + [guid]::NewGuid().ToString('n'))
    $env:OCSCERT_STORE = $path
    $path
}

# The inputs every valid request needs, for splatting.
function Get-OcsTestRequestArguments {
    @{
        PoolFqdn     = 'pool01.contoso.com'
        Organization = 'Contoso'
        Country      = 'US'
        State        = 'Washington'
        City         = 'Redmond'
        KeyAlgorithm = 'ECDSA_P256'  # fast; RSA is covered where the key type is the point
    }
}

# An offline CA made with the openssl CLI, as an enterprise PKI has it: Test-Root ->
# Test-Issuing. Returns its folder: root.pem/.key, issuing.pem/.key. The caller removes it.
function New-OcsTestCa {
    $ca = Join-Path ([System.IO.Path]::GetTempPath()) ("ocscert-ca-" + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory $ca
    $root = Join-Path $ca 'root.pem'
    & openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj '/CN=Test-Root' -days 30 `
        -keyout (Join-Path $ca 'root.key') -out $root 2>$null
    Set-Content (Join-Path $ca 'ca.cnf') "basicConstraints=critical,CA:TRUE`nkeyUsage=critical,keyCertSign,cRLSign"
    & openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj '/CN=Test-Issuing' `
        -keyout (Join-Path $ca 'issuing.key') -out (Join-Path $ca 'issuing.req') 2>$null
    & openssl x509 -req -in (Join-Path $ca 'issuing.req') -CA $root -CAkey (Join-Path $ca 'root.key') -CAcreateserial -days 30 `
        -extfile (Join-Path $ca 'ca.cnf') -out (Join-Path $ca 'issuing.pem') 2>$null
    if ($LASTEXITCODE -ne 0) { throw 'the test CA could not be made' }
    $ca
}

# An existing certificate for pool01.contoso.com made outside the store (key and request by
# openssl, signed by the test CA's issuing CA with $Sign), imported as a PFX; returns its
# thumbprint. For what a CA answer cannot be: Complete-OcsCertificateRequest refuses an
# expired certificate, but one can expire after it was installed.
function Import-OcsTestCertificate([string] $Store, [string] $Ca, [string] $Name, [string[]] $Sign) {
    $key = Join-Path $Store "$Name.key"; $req = Join-Path $Store "$Name.req"; $cer = Join-Path $Store "$Name.cer"; $pfx = Join-Path $Store "$Name.pfx"
    & openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj '/CN=pool01.contoso.com' `
        -addext 'subjectAltName=DNS:pool01.contoso.com' -addext 'extendedKeyUsage=serverAuth,clientAuth' -keyout $key -out $req 2>$null
    & openssl x509 -req -in $req -CA (Join-Path $Ca 'issuing.pem') -CAkey (Join-Path $Ca 'issuing.key') -CAcreateserial @Sign -out $cer 2>$null
    & openssl pkcs12 -export -inkey $key -in $cer -certfile (Join-Path $Ca 'issuing.pem') -passout pass:import -out $pfx 2>$null
    if ($LASTEXITCODE -ne 0) { throw 'the test certificate could not be made' }
    (Import-OcsCertificate -Path $pfx -Password (ConvertTo-SecureString 'import' -AsPlainText -Force) -StorePath $Store).Thumbprint
}

# A real SCEP CA (scepserver, Debian package scep) on loopback, with challenge
# password 'Secret-Challenge-17'. Returns Url, Process, Depot; stop it with Stop-OcsTestScepCa.
function Start-OcsTestScepCa {
    param([string[]] $ExtraArguments = @())
    $folder = Join-Path ([System.IO.Path]::GetTempPath()) ("ocscert-scep-" + [guid]::NewGuid().ToString('n'))
    $depot = Join-Path $folder 'depot'
    & scepserver ca -init -depot $depot -organization Contoso -country US -keySize 2048 *> $null
    if ($LASTEXITCODE -ne 0) { throw 'scepserver could not make its CA' }
    $listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0); $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
    $log = Join-Path $folder 'scepserver.log'
    $process = Start-Process scepserver -PassThru -RedirectStandardOutput $log -RedirectStandardError "$log.err" -ArgumentList (@(
            '-depot', $depot, '-port', $port, '-challenge', 'Secret-Challenge-17', '-allowrenew', '0') + $ExtraArguments)
    foreach ($attempt in 1..100) {
        try { $probe = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $port); $probe.Dispose(); break } catch { Start-Sleep -Milliseconds 50 }
    }
    $fingerprint = (& openssl x509 -in (Join-Path $depot 'ca.pem') -noout -fingerprint -sha256) -replace '^.*=', ''
    [pscustomobject]@{ Url = "http://127.0.0.1:$port/scep"; Process = $process; Folder = $folder; Fingerprint = $fingerprint }
}

function Stop-OcsTestScepCa($Ca) {
    if ($Ca.Process -and -not $Ca.Process.HasExited) { $Ca.Process.Kill(); $null = $Ca.Process.WaitForExit(5000) }
    Remove-Item -Recurse -Force $Ca.Folder -ErrorAction SilentlyContinue
}

# Runs a child pwsh -- this same one; as a .NET tool that is dotnet plus pwsh.dll --
# without profile or prompts; its output and errors as lines of text. $LASTEXITCODE is the child's.
function Invoke-OcsTestPwsh {
    param([string] $Command, [string] $File)
    $pwsh = (Get-Process -Id $PID).Path
    $prefix = @(if ([System.IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { [Environment]::GetCommandLineArgs()[0] })
    $what = if ($File) { @('-File', $File) } else { @('-Command', $Command) }
    & $pwsh @prefix -NoProfile -NonInteractive @what 2>&1 | ForEach-Object { "$_" }
}

Export-ModuleMember -Function Invoke-OcsTestPwsh, Import-OcsTestCertificate, Import-OcsTestModule, New-OcsTestStore, Get-OcsTestRequestArguments, New-OcsTestCa, Start-OcsTestScepCa, Stop-OcsTestScepCa
