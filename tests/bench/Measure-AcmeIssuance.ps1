#!/usr/bin/env pwsh
<#
.SYNOPSIS
Times ACME issuance per certificate: this module (in one pwsh session, and one pwsh
process per certificate) against uacme, lego and certbot, on one Pebble, in one run.

.DESCRIPTION
Pebble validates at once (PEBBLE_VA_ALWAYS_VALID=1, PEBBLE_VA_NOSLEEP=1), so what is
measured is the client. Each client gets ECDSA P-256 certificates for fresh names.
Peers that are not installed, or will not run, are reported with the reason and
skipped. Prints milliseconds per certificate (median, min, max) and the median's
ratio to uacme's (or to the module's in-session median when uacme did not run).
Then the goals' ratios from the same run: the module's share of a pwsh process per
certificate (that process minus a bare pwsh) against lego's whole process, and beside it
the same order from a C++ program through the C interface (build/default/tests/ocscert_bench_issue:
the native library's share of a process), and the floor: a module with no script, only the format
file and the interop, whose -Command calls the library directly (the least any PowerShell module
pays); lego's runs are also given without those where it polled (every 500 ms when the CA answers
finalize with "processing"); $Concurrent
orders at once in one session (a runspace pool with the module imported) against
$Concurrent times the in-session median, and the cores those rounds kept busy (the CPU time of
this process and Pebble over the rounds' wall time: orders that overlap keep them busy, orders
that wait on each other or sleep do not); and Import-Module over a bare pwsh start
(difference of medians of $ImportSamples cold runs each, interleaved), and the Import-Module
statement alone timed inside cold processes (wall and CPU time), which a loaded machine
disturbs less.
Run: ./build.ps1 bench (installs the peers from Debian first, when it can).
#>
param([int] $Samples = 10, [switch] $InSessionOnly, [int] $Concurrent = 4, [int] $ImportSamples = 12)
$ErrorActionPreference = 'Stop'
$module = Join-Path $PSScriptRoot '../../module/OcsCertificate/OcsCertificate.psd1'
Import-Module $module -Force
Import-Module (Join-Path $PSScriptRoot '../../examples/EmbeddedCa.psm1') -Force

$work = Join-Path ([System.IO.Path]::GetTempPath()) ("ocscert-acmebench-" + [guid]::NewGuid().ToString('n').Substring(0, 8))
$null = New-Item -ItemType Directory $work
# Run as a .NET tool this process is 'dotnet': the pwsh to start comes from build.ps1, .tools/ or the PATH.
$pwshPath = @($env:OCSCERT_PWSH, (Join-Path $PSScriptRoot '../../.tools/pwsh/pwsh'), (Get-Command pwsh -ErrorAction SilentlyContinue).Source) |
    Where-Object { $_ -and (Test-Path $_) } | Select-Object -First 1

function Get-Stats([string] $client, [double[]] $ms, [string] $note = '') {
    $sorted = @($ms | Sort-Object)
    [pscustomobject]@{ Client = $client; Median = [math]::Round($sorted[[int][math]::Floor($sorted.Count / 2)]); Min = [math]::Round($sorted[0]); Max = [math]::Round($sorted[-1]); Runs = $sorted.Count; Note = $note }
}

# Runs a native command, timed; throws with its output when it fails.
function Invoke-Timed([string] $file, [string[]] $arguments) {
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $output = & $file @arguments 2>&1
    $watch.Stop()
    if ($LASTEXITCODE -ne 0) { throw "$file exited with $LASTEXITCODE`: $(($output | Select-Object -Last 5) -join ' | ')" }
    $watch.Elapsed.TotalMilliseconds
}

$saved = $env:PEBBLE_VA_ALWAYS_VALID
$env:PEBBLE_VA_ALWAYS_VALID = '1'
$ca = $null
$results = [System.Collections.Generic.List[object]]::new()
try {
    $ca = Start-OcsEmbeddedCa -Folder (Join-Path $work 'ca')
    $directory = $ca.CA -replace '^acme:', ''
    $acmePort = ([uri] $directory).Port
    $httpPort = [int] ($ca.HttpListener -split ':')[-1]
    Write-Host "Pebble at $directory; http-01 on port $httpPort; $Samples certificates per client"

    # The module in this session: the first order (account creation, warm-up) is not counted.
    $store = Join-Path $work 'module'
    $common = @{ Role = 'FrontEnd'; KeyAlgorithm = 'ECDSA_P256'; Organization = 'Bench'; Country = 'US'; State = 'Washington'; City = 'Redmond'; CA = $ca.CA; CaBundle = $ca.CaBundle; HttpListener = $ca.HttpListener; StorePath = $store }
    $null = New-OcsCertificateRequest @common -PoolFqdn 'warm.bench.test'
    $ms = foreach ($i in 1..$Samples) {
        (Measure-Command { $null = New-OcsCertificateRequest @common -PoolFqdn "s$i.bench.test" }).TotalMilliseconds
    }
    $results.Add((Get-Stats 'OcsCertificate, one session' $ms))

    # Several orders at once in one session (several roles, several pool members): a runspace pool with the
    # module imported, warmed by one untimed round; each timed round starts $Concurrent orders together.
    $iss = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
    $iss.ImportPSModule($module)
    $pool = [runspacefactory]::CreateRunspacePool(1, $Concurrent, $iss, $Host)
    $pool.Open()
    try {
        $order = { param($common, $name) $null = New-OcsCertificateRequest @common -PoolFqdn $name -ErrorAction Stop }
        # The CPU time the rounds cost this process and Pebble (the client and the CA share the machine's cores):
        # orders that overlap keep the cores busy; orders that wait on each other, or sleep, leave them idle.
        $self = [System.Diagnostics.Process]::GetCurrentProcess()
        $pebble = @($ca.Processes | Where-Object { -not $_.HasExited -and $_.ProcessName -eq 'pebble' })[0]
        $cpu = { $self.Refresh(); $ms = $self.TotalProcessorTime.TotalMilliseconds; if ($pebble) { $pebble.Refresh(); $ms += $pebble.TotalProcessorTime.TotalMilliseconds }; $ms }
        $roundCpu = [System.Collections.Generic.List[double]]::new()
        $rounds = foreach ($round in 0..[math]::Max(8, [int][math]::Ceiling($Samples / $Concurrent))) {
            $cpuBefore = & $cpu
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $running = foreach ($i in 1..$Concurrent) {
                $ps = [powershell]::Create()
                $ps.RunspacePool = $pool
                $null = $ps.AddScript($order).AddArgument($common).AddArgument("c$round-$i.bench.test")
                [pscustomobject]@{ PowerShell = $ps; Handle = $ps.BeginInvoke() }
            }
            foreach ($r in $running) {
                try { $null = $r.PowerShell.EndInvoke($r.Handle) } finally { $r.PowerShell.Dispose() }
            }
            $watch.Stop()
            if ($round -gt 0) {  # round 0 opens the runspaces and imports the module
                $roundCpu.Add((& $cpu) - $cpuBefore)
                $watch.Elapsed.TotalMilliseconds
            }
        }
    }
    finally { $pool.Dispose() }
    $overlap = Get-Stats "OcsCertificate, $Concurrent orders at once (whole round)" $rounds

    if (-not $InSessionOnly) {
        $script = "Import-Module '$module'; `$null = New-OcsCertificateRequest -Role FrontEnd -KeyAlgorithm ECDSA_P256 -Organization Bench -Country US -State Washington -City Redmond -CA '$($ca.CA)' -CaBundle '$($ca.CaBundle)' -HttpListener '$($ca.HttpListener)' -StorePath '$store' -PoolFqdn"
        # The least any PowerShell module pays for the same order: a module with this one's format file and
        # interop and no script, and a -Command that calls the interop directly (no cmdlet, no binding).
        $floor = Join-Path $work 'floor'
        $null = New-Item -ItemType Directory $floor
        $format = Join-Path (Split-Path $module) 'OcsCertificate.Format.ps1xml'
        Set-Content (Join-Path $floor 'Floor.psd1') "@{ RootModule = 'Floor.psm1'; ModuleVersion = '1.0'; FormatsToProcess = @('$format') }"
        Set-Content (Join-Path $floor 'Floor.psm1') "`$null = [System.Reflection.Assembly]::LoadFrom('$([OcsCertificate.Interop.NativeSession].Assembly.Location)')"
        $newJson = [ordered]@{ role = @('FrontEnd'); keyAlgorithm = 'ECDSA_P256'; organization = 'Bench'; country = 'US'; state = 'Washington'; city = 'Redmond'; poolFqdn = 'NAME' } | ConvertTo-Json -Compress
        $submitJson = [ordered]@{ id = 'ID'; ca = $ca.CA; caBundle = $ca.CaBundle; httpListener = $ca.HttpListener } | ConvertTo-Json -Compress
        $floorScript = "Import-Module '$floor/Floor.psd1'; `$s = [OcsCertificate.Interop.NativeSession]::new('$store'); " +
            "`$r = [OcsCertificate.Interop.JsonBridge]::FromJson(`$s.Invoke('request_new', '$newJson', `$null)); " +
            "`$x = [OcsCertificate.Interop.JsonBridge]::FromJson(`$s.Invoke('request_submit', '$submitJson'.Replace('`"ID`"', '`"' + `$r.id + '`"'), `$null)); " +
            "`$s.Dispose(); if (`$x.outcome -ne 'Issued') { exit 1 }"
        # Interleaved, so that a change in the machine's load touches all three alike.
        $perProcessMs = @{ Module = [System.Collections.Generic.List[double]]::new(); Bare = [System.Collections.Generic.List[double]]::new(); Floor = [System.Collections.Generic.List[double]]::new() }
        foreach ($i in 1..$Samples) {
            $perProcessMs.Module.Add((Invoke-Timed $pwshPath @('-NoProfile', '-NonInteractive', '-Command', "$script p$i.bench.test")))
            $perProcessMs.Bare.Add((Invoke-Timed $pwshPath @('-NoProfile', '-NonInteractive', '-Command', '1')))
            $perProcessMs.Floor.Add((Invoke-Timed $pwshPath @('-NoProfile', '-NonInteractive', '-Command', $floorScript.Replace('NAME', "f$i.bench.test"))))
        }
        $results.Add((Get-Stats 'OcsCertificate, pwsh per certificate' $perProcessMs.Module))
        $results.Add((Get-Stats 'bare pwsh -Command 1 (reference)' $perProcessMs.Bare))
        $results.Add((Get-Stats 'empty module and the interop, pwsh per certificate (floor)' $perProcessMs.Floor))
        # The same order from a small C++ program through the C interface: the native library's share of a process.
        $native = Join-Path $PSScriptRoot '../../build/default/tests/ocscert_bench_issue'
        if (Test-Path $native) {
            $ms = foreach ($i in 1..$Samples) { Invoke-Timed $native @($store, "n$i.bench.test", $ca.CA, $ca.CaBundle, $ca.HttpListener) }
            $results.Add((Get-Stats 'the native library alone, process per certificate' $ms))
        }
        else { Write-Host "$native is not built (./build.ps1 bench builds it); the native library's own line is skipped." }

        # Import-Module against a bare start: cold processes, interleaved, wall time. Then, in cold processes too,
        # the Import-Module statement alone, timed inside the process (wall and the process's CPU time), which a
        # loaded machine and pwsh's own start disturb less.
        $importWall = @{ Bare = [System.Collections.Generic.List[double]]::new(); Import = [System.Collections.Generic.List[double]]::new() }
        $importInside = @{ Wall = [System.Collections.Generic.List[double]]::new(); Cpu = [System.Collections.Generic.List[double]]::new() }
        $inside = '$p = [System.Diagnostics.Process]::GetCurrentProcess(); $c = $p.TotalProcessorTime; $w = [System.Diagnostics.Stopwatch]::StartNew(); ' +
            "Import-Module '$module'; " + '$w.Stop(); $p.Refresh(); "{0} {1}" -f $w.Elapsed.TotalMilliseconds, ($p.TotalProcessorTime - $c).TotalMilliseconds'
        foreach ($i in 1..$ImportSamples) {
            $importWall.Bare.Add((Invoke-Timed $pwshPath @('-NoProfile', '-NonInteractive', '-Command', '1')))
            $importWall.Import.Add((Invoke-Timed $pwshPath @('-NoProfile', '-NonInteractive', '-Command', "Import-Module '$module'")))
            $measured = (& $pwshPath -NoProfile -NonInteractive -Command $inside) -split ' '
            $importInside.Wall.Add([double]::Parse($measured[0], [cultureinfo]::InvariantCulture))
            $importInside.Cpu.Add([double]::Parse($measured[1], [cultureinfo]::InvariantCulture))
        }

        # uacme trusts only the system store (its libcurl reads no environment): as root, each run gets a private
        # mount namespace where the system bundle is a copy with Pebble's TLS certificate added; otherwise
        # SSL_CERT_DIR/SSL_CERT_FILE are tried. The namespace costs a few ms per run, counted in uacme's time.
        if (Get-Command uacme -ErrorAction SilentlyContinue) {
            try {
                $certs = Join-Path $work 'uacme-ca'; $null = New-Item -ItemType Directory $certs
                Copy-Item $ca.CaBundle (Join-Path $certs 'pebble.pem')
                & openssl rehash $certs 2>$null
                $env:SSL_CERT_DIR = $certs; $env:SSL_CERT_FILE = $ca.CaBundle
                $system = '/etc/ssl/certs/ca-certificates.crt'
                $uacme = 'uacme'
                if ((& id -u) -eq '0' -and (Get-Command unshare -ErrorAction SilentlyContinue) -and (Test-Path $system)) {
                    $bundle = Join-Path $work 'uacme-bundle.pem'
                    Set-Content $bundle ((Get-Content -Raw $system) + "`n" + (Get-Content -Raw $ca.CaBundle))
                    $uacme = Join-Path $work 'uacme-run.sh'
                    Set-Content $uacme "#!/bin/sh`nexec unshare -m sh -c 'mount --bind `"`$0`" $system && exec uacme `"`$@`"' '$bundle' `"`$@`"`n"
                    & chmod +x $uacme
                }
                $config = Join-Path $work 'uacme'
                $hook = Join-Path $work 'uacme-hook.sh'
                $webroot = Join-Path $work 'uacme-www'
                $null = New-Item -ItemType Directory -Force (Join-Path $webroot '.well-known/acme-challenge')
                Set-Content $hook "#!/bin/sh`n[ `"`$2`" = http-01 ] || exit 1`ncase `"`$1`" in begin) printf '%s' `"`$5`" > '$webroot/.well-known/acme-challenge/'`"`$4`";; *) rm -f '$webroot/.well-known/acme-challenge/'`"`$4`";; esac`n"
                & chmod +x $hook
                $server = Start-Process python3 -PassThru -RedirectStandardOutput (Join-Path $work 'www.log') -RedirectStandardError (Join-Path $work 'www.err') -ArgumentList @('-m', 'http.server', "$httpPort", '--bind', '127.0.0.1', '--directory', $webroot)
                try {
                    Start-Sleep -Milliseconds 500
                    $null = Invoke-Timed $uacme @('-y', '-a', $directory, '-c', $config, 'new')
                    $ms = foreach ($i in 1..$Samples) { Invoke-Timed $uacme @('-y', '-a', $directory, '-c', $config, '-t', 'EC', '-h', $hook, 'issue', "u$i.bench.test") }
                    $results.Add((Get-Stats 'uacme' $ms))
                }
                finally { $server.Kill(); $null = $server.WaitForExit(5000); Remove-Item env:SSL_CERT_DIR, env:SSL_CERT_FILE -ErrorAction SilentlyContinue }
            }
            catch { Write-Host "uacme did not run: $_"; $results.Add([pscustomobject]@{ Client = 'uacme'; Note = "did not run: $_" }) }
        }
        else { Write-Host 'uacme is not installed (apt-get install uacme); skipped.' }

        if (Get-Command lego -ErrorAction SilentlyContinue) {
            try {
                $env:LEGO_CA_CERTIFICATES = $ca.CaBundle
                $path = Join-Path $work 'lego'
                $ms = foreach ($i in 0..$Samples) {
                    Invoke-Timed lego @('--accept-tos', '--email', 'bench@bench.test', '--server', $directory, '--path', $path, '--key-type', 'ec256',
                        '--http', '--http.port', ":$httpPort", '--domains', "l$i.bench.test", 'run')
                }
                $ms = @($ms | Select-Object -Skip 1)  # the first also registers the account
                $results.Add((Get-Stats 'lego' $ms))
                # When the CA answers finalize with "processing" (Pebble issues asynchronously), lego polls
                # every 500 ms (its timeout / 60), so its runs fall into two groups; the quick one is its own cost.
                $quick = @($ms | Where-Object { $_ -lt 450 })
                if ($quick.Count -and $quick.Count -lt $ms.Count) {
                    $results.Add((Get-Stats 'lego, runs without its 500 ms poll' $quick "$($quick.Count) of $($ms.Count) runs"))
                }
            }
            catch { Write-Host "lego did not run: $_"; $results.Add([pscustomobject]@{ Client = 'lego'; Note = "did not run: $_" }) }
            finally { Remove-Item env:LEGO_CA_CERTIFICATES -ErrorAction SilentlyContinue }
        }
        else { Write-Host 'lego is not installed (apt-get install lego); skipped.' }

        if (Get-Command certbot -ErrorAction SilentlyContinue) {
            try {
                $env:REQUESTS_CA_BUNDLE = $ca.CaBundle
                $base = Join-Path $work 'certbot'
                $dirs = @('--config-dir', "$base/etc", '--work-dir', "$base/work", '--logs-dir', "$base/logs")
                $ms = foreach ($i in 0..$Samples) {
                    Invoke-Timed certbot (@('certonly', '--non-interactive', '--agree-tos', '--register-unsafely-without-email', '--server', $directory,
                            '--standalone', '--http-01-port', "$httpPort", '--key-type', 'ecdsa', '-d', "c$i.bench.test") + $dirs)
                }
                $results.Add((Get-Stats 'certbot' ($ms | Select-Object -Skip 1)))
            }
            catch { Write-Host "certbot did not run: $_"; $results.Add([pscustomobject]@{ Client = 'certbot'; Note = "did not run: $_" }) }
            finally { Remove-Item env:REQUESTS_CA_BUNDLE -ErrorAction SilentlyContinue }
        }
        else { Write-Host 'certbot is not installed (apt-get install certbot); skipped.' }
    }
}
finally {
    if ($ca) { Stop-OcsEmbeddedCa $ca }
    $env:PEBBLE_VA_ALWAYS_VALID = $saved
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}

$reference = $results | Where-Object { $_.Client -eq 'uacme' -and $_.Median } | Select-Object -First 1
if (-not $reference) { $reference = $results[0] }
foreach ($row in $results) {
    $ratio = if ($row.Median) { '{0:0.00}' -f ($row.Median / $reference.Median) } else { '' }
    $row | Add-Member -NotePropertyName "x $($reference.Client)" -NotePropertyValue $ratio
}
$load = if (Test-Path /proc/loadavg) { ((Get-Content /proc/loadavg) -split ' ')[0..2] -join ' ' } else { '?' }
Write-Host "`nms per certificate ($([Environment]::ProcessorCount) cores, load average $load, $((Get-Date).ToUniversalTime().ToString('u')))"
$results | Format-Table Client, Median, Min, Max, Runs, "x $($reference.Client)", Note -AutoSize | Out-String -Width 200 | Write-Host

# The goals, as ratios from this run.
function Get-Median([double[]] $ms) { $sorted = @($ms | Sort-Object); $sorted[[int][math]::Floor($sorted.Count / 2)] }
$row = @{}
foreach ($r in $results) { if ($r.Median) { $row[$r.Client] = $r } }
$session = $row['OcsCertificate, one session']
$goals = [System.Collections.Generic.List[object]]::new()
if ($session -and $row['uacme']) {
    $goals.Add([pscustomobject]@{ Goal = 'in-session issuance / uacme (at most 0.5)'; Value = ('{0} / {1} ms' -f $session.Median, $row['uacme'].Median); Ratio = ('{0:0.00}' -f ($session.Median / $row['uacme'].Median)) })
}
$perProcess = $row['OcsCertificate, pwsh per certificate']; $bare = $row['bare pwsh -Command 1 (reference)']
if ($perProcess -and $bare -and $row['lego']) {
    $share = $perProcess.Median - $bare.Median
    $goals.Add([pscustomobject]@{ Goal = "module's share of a pwsh per certificate / lego (under 1)"; Value = ('{0} - {1} = {2} / {3} ms' -f $perProcess.Median, $bare.Median, $share, $row['lego'].Median); Ratio = ('{0:0.00}' -f ($share / $row['lego'].Median)) })
    $quick = $row['lego, runs without its 500 ms poll']
    if ($quick) {
        $goals.Add([pscustomobject]@{ Goal = "the same / lego's runs without its 500 ms poll"; Value = ('{0} / {1} ms' -f $share, $quick.Median); Ratio = ('{0:0.00}' -f ($share / $quick.Median)) })
    }
    $floorRow = $row['empty module and the interop, pwsh per certificate (floor)']
    if ($floorRow) {
        $lego = if ($quick) { $quick } else { $row['lego'] }
        $goals.Add([pscustomobject]@{ Goal = "the floor's share (an empty module and the interop) / lego$(if ($quick) { ' without its poll' })"; Value = ('{0} - {1} = {2} / {3} ms' -f $floorRow.Median, $bare.Median, ($floorRow.Median - $bare.Median), $lego.Median); Ratio = ('{0:0.00}' -f (($floorRow.Median - $bare.Median) / $lego.Median)) })
    }
}
if ($session -and $overlap) {
    $goals.Add([pscustomobject]@{ Goal = "$Concurrent orders at once / $Concurrent x one (under 1: they overlap)"; Value = ('{0} (min {1}, max {2}) / {3} ms' -f $overlap.Median, $overlap.Min, $overlap.Max, ($Concurrent * $session.Median)); Ratio = ('{0:0.00}' -f ($overlap.Median / ($Concurrent * $session.Median))) })
    if ($roundCpu.Count) {
        $busy = ($roundCpu | Measure-Object -Sum).Sum / ($rounds | Measure-Object -Sum).Sum
        $goals.Add([pscustomobject]@{ Goal = "$Concurrent orders at once: cores kept busy by pwsh and Pebble (CPU / wall; of $([Environment]::ProcessorCount))"; Value = ('{0:0.00} cores' -f $busy); Ratio = ('{0:0.00}' -f ($busy / [Environment]::ProcessorCount)) })
    }
}
if ($importWall -and $importWall.Import.Count) {
    $wall = (Get-Median $importWall.Import) - (Get-Median $importWall.Bare)
    $goals.Add([pscustomobject]@{ Goal = "Import-Module over a bare pwsh, wall ($ImportSamples runs each; at most 150 ms)"; Value = ('{0:0} - {1:0} = {2:0} ms' -f (Get-Median $importWall.Import), (Get-Median $importWall.Bare), $wall); Ratio = ('{0:0.00}' -f ($wall / 150)) })
    $goals.Add([pscustomobject]@{ Goal = 'the Import-Module statement alone, inside a cold pwsh: wall, CPU'; Value = ('{0:0} ms, {1:0} ms' -f (Get-Median $importInside.Wall), (Get-Median $importInside.Cpu)); Ratio = ('{0:0.00}' -f ((Get-Median $importInside.Wall) / 150)) })
}
$goals | Format-Table Goal, Value, Ratio -AutoSize | Out-String -Width 200 | Write-Host
