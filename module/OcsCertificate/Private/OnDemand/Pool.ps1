# The pool commands' shared steps: read and check a pool definition, open one
# remoting session per member (SSH, or WinRM by computer name — the same code),
# make sure every member runs this module's version, and run a script block on
# many members at once with a throttle, keeping each member's output and errors
# apart. What runs on a member is the module's own cmdlets; nothing here knows
# how a certificate is made.
#
# Read on demand (Import-OcsOnDemand Pool), from inside a function: `script:` puts each function in
# the module's own scope, where the pool commands find it, rather than in that function's.

# PascalCase keys of a .psd1 (PoolFqdn, CA) as the native library spells them (poolFqdn, ca).
function script:ConvertTo-OcsCamelCase($Value) {
    if ($Value -is [System.Collections.IDictionary]) {
        $out = [ordered]@{}
        foreach ($key in $Value.Keys) {
            $name = [string] $key
            $camel = if ($name -cmatch '^[A-Z]+$') { $name.ToLowerInvariant() } else { $name.Substring(0, 1).ToLowerInvariant() + $name.Substring(1) }
            $out[$camel] = ConvertTo-OcsCamelCase $Value[$key]
        }
        return $out
    }
    if ($Value -is [System.Collections.IList]) { return , @($Value | ForEach-Object { ConvertTo-OcsCamelCase $_ }) }
    $Value
}

function script:Read-OcsPoolDefinition {
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)] [string] $Path,
        [string[]] $Member
    )
    $file = Resolve-OcsPath $Cmdlet $Path 'Pool'
    if (-not (Test-Path -LiteralPath $file -PathType Leaf)) {
        $what = if (Test-Path -LiteralPath $file -PathType Container) { 'is a folder; give the definition file in it' } else { 'does not exist' }
        $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
            [System.IO.FileNotFoundException]::new("Pool: the pool definition '$file' $what (a .psd1 or .json file)."), 'PoolDefinitionNotFound', 'ObjectNotFound', $Path))
    }
    try {
        $data = if ($file -match '\.json$') { Get-Content -Raw -LiteralPath $file | ConvertFrom-Json -AsHashtable } else { Import-PowerShellDataFile -LiteralPath $file }
    }
    catch {
        $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
            [System.Exception]::new("Pool: '$file' is not a valid pool definition: $($_.Exception.Message)", $_.Exception), 'InvalidPoolDefinition', 'InvalidData', $Path))
    }
    if ($data -isnot [System.Collections.IDictionary]) {
        $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
            [System.ArgumentException]::new("Pool: '$file' holds no pool definition; it must be one table: @{ PoolFqdn = ...; Request = @{ ... }; Members = @( ... ) }."),
            'InvalidPoolDefinition', 'InvalidData', $Path))
    }
    $pool = Invoke-OcsNative -Cmdlet $Cmdlet -Operation pool_check -Arguments (ConvertTo-OcsCamelCase $data)
    # Key files are on the admin's side: relative to the definition, like the definition's other references.
    $folder = Split-Path -Parent $file
    foreach ($m in $pool.members) {
        if ($m.keyFilePath -and -not [System.IO.Path]::IsPathRooted($m.keyFilePath)) { $m.keyFilePath = Join-Path $folder $m.keyFilePath }
    }
    # -Member given empty (a variable never set, most likely) must not mean the whole pool: for Update-OcsPool
    # that renews every member.
    if ($Cmdlet.MyInvocation.BoundParameters.ContainsKey('Member') -and @($Member | Where-Object { -not "$_".Trim() }).Count -eq @($Member).Count) {
        $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
            [System.ArgumentException]::new('Member: no member name was given; name members, or leave -Member out for the whole pool.'), 'EmptyMember', 'InvalidArgument', $Member))
    }
    if ($Member) {
        $unknown = @($Member | Where-Object { $name = $_; -not ($pool.members | Where-Object { $_.fqdn -eq $name -or $_.fqdn.Split('.')[0] -eq $name }) })
        if ($unknown) {
            $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
                [System.ArgumentException]::new("Member: $($unknown -join ', ') is not in the pool; its members are $(($pool.members.fqdn) -join ', ')."), 'UnknownMember', 'InvalidArgument', $Member))
        }
        # A short name two members share (fe01 of contoso and of fabrikam) would select both.
        $ambiguous = @($Member | Where-Object { $name = $_; @($pool.members | Where-Object { $_.fqdn -ne $name -and $_.fqdn.Split('.')[0] -eq $name }).Count -gt 1 })
        if ($ambiguous) {
            $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
                [System.ArgumentException]::new("Member: $($ambiguous -join ', ') names more than one member; give the full name ($(($pool.members.fqdn) -join ', '))."), 'AmbiguousMember', 'InvalidArgument', $Member))
        }
        $pool | Add-Member -NotePropertyName selected -NotePropertyValue @($pool.members | Where-Object { $_.fqdn -in $Member -or $_.fqdn.Split('.')[0] -in $Member })
    }
    else { $pool | Add-Member -NotePropertyName selected -NotePropertyValue @($pool.members) }
    $pool | Add-Member -NotePropertyName path -NotePropertyValue $file
    $pool
}

# Runs a command in a pipeline of its own, so that its errors come back as data: a member's error is
# then reported once, as the pool command's own (with the member as target), and does not also reach
# the caller's -ErrorVariable raw (redirecting with 2>&1 would not keep it from there).
# -ErrorAction Continue: a pipeline in the current runspace sees the calling script's
# $ErrorActionPreference, and 'Stop' there would end New-PSSession at the first member that fails,
# leaving every member of the call without a session and blamed for that one's error.
function script:Invoke-OcsApart([string] $Command, [hashtable] $Parameters) {
    $ps = [powershell]::Create([System.Management.Automation.RunspaceMode]::CurrentRunspace)
    try {
        $output = $ps.AddCommand($Command).AddParameters($Parameters).AddParameter('ErrorAction', 'Continue').Invoke()
        @{ Output = @($output); Errors = @($ps.Streams.Error) }
    }
    catch { @{ Output = @(); Errors = @($_) } }
    finally { $ps.Dispose() }
}

# One entry per member: its definition, its session (or why there is none), its state so far.
function script:New-OcsPoolTarget($Member) {
    [pscustomobject]@{ Member = $Member; Session = $null; Status = 'Pending'; ErrorId = $null; Error = $null; Version = $null }
}

function script:Set-OcsPoolTargetFailed($Target, [string] $Status, [string] $ErrorId, [string] $Message) {
    $Target.Status = $Status
    $Target.ErrorId = $ErrorId
    $Target.Error = $Message
}

# Opens the sessions: SSH members that share a user, key and port in one New-PSSession (it connects to
# them in parallel), WinRM members likewise; an unreachable member is marked and the others go on.
function script:Open-OcsPoolSession {
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)] $Pool,
        [int] $ConnectingTimeoutSeconds = 10,
        [switch] $InstallModule,
        [int] $ThrottleLimit = 16,
        # Every member of the pool, not only those selected with -Member (a pool-wide listener needs them all).
        [switch] $All
    )
    $WhatIfPreference = $false  # connecting and reading are not what -WhatIf asks about; the cmdlets decide the changes
    $targets = @($(if ($All) { $Pool.members } else { $Pool.selected }) | ForEach-Object { New-OcsPoolTarget $_ })
    $options = @{}
    if ($Pool.sshOptions) { foreach ($p in $Pool.sshOptions.PSObject.Properties) { $options[$p.Name] = $p.Value } }
    $groups = $targets | Group-Object { $m = $_.Member; "$($m.transport)|$($m.userName)|$($m.keyFilePath)|$($m.port)" }
    Write-Progress -Id 2 -Activity "Pool $($Pool.poolFqdn)" -Status "Connecting to $($targets.Count) members" -PercentComplete 5
    foreach ($group in $groups) {
        $first = $group.Group[0].Member
        $connect = @{}
        if ($first.transport -eq 'ssh') {
            $connect.HostName = @($group.Group | ForEach-Object { $_.Member.hostName })
            $connect.Port = $first.port
            $connect.ConnectingTimeout = $ConnectingTimeoutSeconds * 1000
            if ($first.userName) { $connect.UserName = $first.userName }
            if ($first.keyFilePath) { $connect.KeyFilePath = $first.keyFilePath }
            if ($options.Count) { $connect.Options = $options }
        }
        else {
            # WinRM: the same sessions, untested here (no WSMan on this build machine).
            $connect.ComputerName = @($group.Group | ForEach-Object { $_.Member.computerName })
            $connect.SessionOption = New-PSSessionOption -OpenTimeout ($ConnectingTimeoutSeconds * 1000)
        }
        $opened = Invoke-OcsApart 'New-PSSession' $connect
        $sessions = @($opened.Output | Where-Object { $_ -is [System.Management.Automation.Runspaces.PSSession] })
        $failed = $opened.Errors
        foreach ($target in $group.Group) {
            $address = if ($target.Member.transport -eq 'ssh') { $target.Member.hostName } else { $target.Member.computerName }
            $target.Session = $sessions | Where-Object { $_.ComputerName -eq $address -and $_.State -eq 'Opened' } | Select-Object -First 1
            if (-not $target.Session) {
                $why = @($failed | Where-Object { "$($_.TargetObject) $($_.Exception.Message)" -match [regex]::Escape($address) }) + @($failed) | Select-Object -First 1
                $message = if ($why) { $why.Exception.Message } else { 'the session did not open' }
                Set-OcsPoolTargetFailed $target 'Unreachable' 'MemberUnreachable' "Cannot open a session to $address`: $message"
            }
        }
    }
    Assert-OcsPoolModule -Cmdlet $Cmdlet -Targets $targets -InstallModule:$InstallModule -ThrottleLimit $ThrottleLimit
    $targets
}

# Every member must run this module's version (a different native library could store or check differently);
# with -InstallModule the admin's copy is sent over the member's session into its user module folder.
function script:Assert-OcsPoolModule {
    param([System.Management.Automation.PSCmdlet] $Cmdlet, $Targets, [switch] $InstallModule, [int] $ThrottleLimit)
    $module = $MyInvocation.MyCommand.Module
    $want = [string] $module.Version
    $probe = {
        param($want)
        $found = Get-Module -ListAvailable OcsCertificate | Sort-Object Version -Descending | Select-Object -First 1
        $userModules = ($env:PSModulePath -split [System.IO.Path]::PathSeparator)[0]
        if (-not $found) { return [pscustomobject]@{ Version = $null; Native = $null; UserModules = $userModules } }
        if ([string] $found.Version -eq $want) { Import-Module $found.Path -ErrorAction Stop }
        $native = if (Get-Module OcsCertificate) { (Get-OcsCertificateVersion).NativeVersion } else { $null }
        [pscustomobject]@{ Version = [string] $found.Version; Native = $native; UserModules = $userModules }
    }
    $results = Invoke-OcsPoolMember -Targets $Targets -ThrottleLimit $ThrottleLimit -Activity 'Checking the module on each member' -ScriptBlock $probe -Arguments { $want }
    $wantNative = [OcsCertificate.Interop.NativeSession]::Version
    foreach ($target in $Targets | Where-Object Status -eq 'Pending') {
        $seen = $results[$target.Member.fqdn].Output | Select-Object -Last 1
        if (-not $seen) { continue }  # Invoke-OcsPoolMember marked it failed
        $target.Version = $seen.Version
        if ($seen.Version -eq $want -and $seen.Native -eq $wantNative) { continue }
        if (-not $InstallModule) {
            $has = if ($seen.Version) { "runs OcsCertificate $($seen.Version) (native $($seen.Native))" } else { 'does not have the OcsCertificate module' }
            Set-OcsPoolTargetFailed $target 'ModuleMissing' $(if ($seen.Version) { 'ModuleVersionMismatch' } else { 'ModuleMissing' }) `
                "$($target.Member.fqdn) $has; this console runs $want (native $wantNative). Use -InstallModule to copy it over the session."
            continue
        }
        $destination = "$($seen.UserModules)/OcsCertificate/$want"
        try {
            Invoke-Command -Session $target.Session -ScriptBlock { $null = New-Item -ItemType Directory -Force $using:destination } -ErrorAction Stop
            Copy-Item -LiteralPath $module.ModuleBase -Destination $destination -ToSession $target.Session -Recurse -Force -ErrorAction Stop -Container
            # Copy-Item puts the folder inside the destination; flatten it to <modules>/OcsCertificate/<version>.
            Invoke-Command -Session $target.Session -ErrorAction Stop -ScriptBlock {
                $inner = Join-Path $using:destination (Split-Path -Leaf $using:module.ModuleBase)
                if (Test-Path -LiteralPath (Join-Path $inner 'OcsCertificate.psd1')) {
                    Get-ChildItem -LiteralPath $inner -Force | Move-Item -Destination $using:destination -Force
                    Remove-Item -LiteralPath $inner -Recurse -Force
                }
                Import-Module (Join-Path $using:destination 'OcsCertificate.psd1') -ErrorAction Stop
            }
            $target.Version = $want
            Write-Verbose "Copied OcsCertificate $want to $($target.Member.fqdn):$destination."
        }
        catch {
            Set-OcsPoolTargetFailed $target 'ModuleMissing' 'ModuleInstallFailed' "Copying the module to $($target.Member.fqdn) failed: $($_.Exception.Message)"
        }
    }
}

# Runs $ScriptBlock on every target still Pending, at most $ThrottleLimit at once, one remoting job per
# member so each gets its own arguments ($Arguments is called with the target and returns them) and its
# output and errors stay its own. Returns a table: member FQDN -> @{ Output; Errors }. A member whose
# block throws, or whose session broke, is marked failed with the remote error.
function script:Invoke-OcsPoolMember {
    param(
        [Parameter(Mandatory)] $Targets,
        [Parameter(Mandatory)] [scriptblock] $ScriptBlock,
        [scriptblock] $Arguments,
        [int] $ThrottleLimit = 16,
        [string] $Activity = 'Working on each member',
        # Errors a member writes do not mark it failed (the caller reads them).
        [switch] $KeepGoing
    )
    $WhatIfPreference = $false  # the jobs' bookkeeping (ForEach-Object, Remove-Job) would otherwise only say "What if"
    $results = @{}
    $queue = [System.Collections.Generic.Queue[object]]::new()
    foreach ($t in $Targets) { if ($t.Status -eq 'Pending') { $queue.Enqueue($t) } }
    $total = $queue.Count
    $running = @{}
    $done = 0
    while ($queue.Count -or $running.Count) {
        while ($queue.Count -and $running.Count -lt $ThrottleLimit) {
            $t = $queue.Dequeue()
            $argumentList = if ($Arguments) { , @(& $Arguments $t) } else { @() }
            $job = Invoke-Command -Session $t.Session -ScriptBlock $ScriptBlock -ArgumentList $argumentList -AsJob
            $running[$job.Id] = @{ Job = $job; Target = $t; Started = [DateTime]::UtcNow }
        }
        $finished = Wait-Job -Job @($running.Values | ForEach-Object Job) -Any
        foreach ($id in @($running.Keys)) {
            $entry = $running[$id]
            if ($entry.Job.State -notin 'Completed', 'Failed', 'Stopped') { continue }
            $running.Remove($id)
            $received = Invoke-OcsApart 'Receive-Job' @{ Job = $entry.Job }
            $errors = $received.Errors
            $output = $received.Output
            $state = $entry.Job.State
            # A block that threw leaves its error as the job's reason, not in the error stream.
            $reason = @($entry.Job.ChildJobs)[0].JobStateInfo.Reason
            if (-not $errors -and $reason) {
                $errors = @(if ($reason.ErrorRecord) { $reason.ErrorRecord } else { [System.Management.Automation.ErrorRecord]::new($reason, 'MemberFailed', 'NotSpecified', $null) })
            }
            Remove-Job -Job $entry.Job -Force
            $results[$entry.Target.Member.fqdn] = @{ Output = $output; Errors = @($errors); Started = $entry.Started; Finished = [DateTime]::UtcNow }
            $done++
            Write-Progress -Id 2 -Activity $Activity -Status "$done of $total members" -PercentComplete ([int](100 * $done / [Math]::Max(1, $total)))
            if ($state -ne 'Completed' -or (-not $KeepGoing -and $errors)) {
                $first = @($errors)[0]
                $errorId = if ($first -and $first.FullyQualifiedErrorId) { ($first.FullyQualifiedErrorId -split ",")[0] } else { "MemberFailed" }
                $message = if ($first) { $first.Exception.Message } else { "the remote command ended $state" }
                if ($entry.Target.Session.State -ne 'Opened') { Set-OcsPoolTargetFailed $entry.Target 'Unreachable' 'MemberUnreachable' "The session to $($entry.Target.Member.fqdn) broke: $message" }
                else { Set-OcsPoolTargetFailed $entry.Target "Failed" $errorId $message }
            }
        }
        $null = $finished
    }
    Write-Progress -Id 2 -Activity $Activity -Completed
    $results
}

function script:Close-OcsPoolSession($Targets) {
    $sessions = @($Targets | Where-Object Session | ForEach-Object Session)
    if ($sessions) { Remove-PSSession -Session $sessions -ErrorAction SilentlyContinue }
}

# The failures as non-terminating errors (the member is the target object), and the summary line.
function script:Write-OcsPoolOutcome {
    param([System.Management.Automation.PSCmdlet] $Cmdlet, $Targets, [string] $Done)
    foreach ($t in $Targets | Where-Object Status -notin 'Pending', 'Succeeded', 'Renewed', 'NotDue') {
        $category = if ($t.Status -eq 'Unreachable') { 'ConnectionError' } elseif ($t.Status -eq 'ModuleMissing') { 'NotInstalled' } else { 'NotSpecified' }
        $Cmdlet.WriteError([System.Management.Automation.ErrorRecord]::new([System.Exception]::new("$($t.Member.fqdn): $($t.Error)"), $t.ErrorId, $category, $t.Member.fqdn))
    }
    $ok = @($Targets | Where-Object Status -in 'Succeeded', 'Renewed', 'NotDue').Count
    $failed = @($Targets | Where-Object Status -notin 'Succeeded', 'Renewed', 'NotDue' | ForEach-Object { "$($_.Member.fqdn) ($($_.Status))" })
    $summary = "$ok of $($Targets.Count) members $Done." + $(if ($failed) { " Not done: $($failed -join ', ')." } else { '' })
    $Cmdlet.WriteInformation([System.Management.Automation.HostInformationMessage]@{ Message = $summary }, [string[]] @('PSHOST', 'PoolSummary'))  # shown as Write-Host is
}

# The http-01 answers for the pool name must be reachable on whatever member the name points to: a standing
# listener on every member relays to the others for the length of the pool-wide request.
function script:Open-OcsPoolChallengeListener {
    param($Pool, $Targets, [int] $ThrottleLimit, [int] $Seconds = 900)
    $WhatIfPreference = $false
    $port = ($Pool.challengeListener -split ':')[-1]
    $everyone = @($Targets | Where-Object Status -eq 'Pending')
    Invoke-OcsPoolMember -Targets $everyone -ThrottleLimit $ThrottleLimit -Activity 'Opening the http-01 listeners' -Arguments {
        param($t) @{ listen = $Pool.challengeListener; seconds = $Seconds; peers = @($everyone | Where-Object { $_ -ne $t } | ForEach-Object { "$($_.Member.fqdn):$port" }) }
    } -ScriptBlock {
        param($a)
        & (Get-Module OcsCertificate -ErrorAction Stop) { param($a) Invoke-OcsMemberOperation challenge_listener_open $a } $a
    } | Out-Null
}

function script:Close-OcsPoolChallengeListener($Pool, $Targets) {
    $listen = $Pool.challengeListener
    $open = @($Targets | Where-Object Session | Where-Object { $_.Session.State -eq 'Opened' -and $_.Status -ne 'ModuleMissing' })
    foreach ($t in $open) {
        Invoke-Command -Session $t.Session -ErrorAction SilentlyContinue -ScriptBlock {
            & (Get-Module OcsCertificate) { param($l) $null = Invoke-OcsMemberOperation challenge_listener_close @{ listen = $l } } $using:listen
        }
    }
}

# The role whose certificate the pool's servers present to each other (Front End's MTLS), else the first.
function script:Get-OcsPoolMtlsRole($Member) { if ('FrontEnd' -in $Member.roles) { 'FrontEnd' } else { @($Member.roles)[0] } }

# Opens a mutual-TLS responder on each target at the pool's port, presenting its bound certificate (or
# the one $Thumbprint names for it). Where the port is taken the real service is assumed to answer there.
# Returns member FQDN -> 'Responder' | 'Service'.
function script:Open-OcsPoolResponder {
    param($Pool, $Targets, [hashtable] $Thumbprint = @{}, [int] $ThrottleLimit = 16, [int] $Seconds = 300)
    $listen = "0.0.0.0:$($Pool.mutualTlsPort)"
    $trust = @($Pool.trustAnchorPath)
    $arguments = {
        param($t)
        $a = @{ listen = $listen; seconds = $Seconds }
        if ($Thumbprint[$t.Member.fqdn]) { $a.thumbprint = $Thumbprint[$t.Member.fqdn] } else { $a.role = @(Get-OcsPoolMtlsRole $t.Member) }
        if ($trust) { $a.trustAnchorPath = $trust }
        $a
    }
    $results = Invoke-OcsPoolMember -Targets $Targets -ThrottleLimit $ThrottleLimit -KeepGoing -Activity 'Opening the mutual-TLS responders' -Arguments $arguments -ScriptBlock {
        param($a)
        try { $null = & (Get-Module OcsCertificate) { param($a) Invoke-OcsMemberOperation tls_responder_open $a -ErrorAction Stop } $a; 'Responder' }
        catch { if ($_.FullyQualifiedErrorId -like 'ListenerUnavailable*') { 'Service' } else { throw } }
    }
    $against = @{}
    foreach ($key in $results.Keys) { $against[$key] = @($results[$key].Output)[-1] }
    $against
}

# Closes them; returns member FQDN -> the connections each responder saw (who it refused and why).
function script:Close-OcsPoolResponder($Pool, $Targets) {
    $seen = @{}
    foreach ($t in $Targets | Where-Object Session | Where-Object { $_.Session.State -eq 'Opened' -and $_.Status -ne 'ModuleMissing' }) {
        $closed = Invoke-Command -Session $t.Session -ErrorAction SilentlyContinue -ArgumentList "0.0.0.0:$($Pool.mutualTlsPort)" -ScriptBlock {
            param($l) & (Get-Module OcsCertificate) { param($l) Invoke-OcsMemberOperation tls_responder_close @{ listen = $l } } $l
        }
        $seen[$t.Member.fqdn] = @($closed.connections)
    }
    $seen
}

# The mutual-TLS matrix: every member of $From connects to every other member of $To with its own
# certificate (or the one $Thumbprint names for it), as Test-OcsCertificate -Peer does. One row per pair.
function script:Invoke-OcsPoolMatrix {
    param($Pool, $From, $To, [hashtable] $Thumbprint = @{}, [hashtable] $Against = @{}, [hashtable] $Refusals = @{}, [int] $ThrottleLimit = 16)
    $port = $Pool.mutualTlsPort
    $trust = @($Pool.trustAnchorPath)
    $peersOf = {
        param($t)
        # The name a member's certificate must carry for the others is the pool's: it identifies the pool during
        # authentication (the machine name is in it only when the definition asks for it).
        @{ role = Get-OcsPoolMtlsRole $t.Member; thumbprint = $Thumbprint[$t.Member.fqdn]; port = $port; trust = $trust; name = $Pool.poolFqdn
           peers = @($To | Where-Object { $_.Member.fqdn -ne $t.Member.fqdn -and $_.Status -eq 'Pending' } | ForEach-Object { $_.Member.fqdn }) }
    }
    $results = Invoke-OcsPoolMember -Targets $From -ThrottleLimit $ThrottleLimit -KeepGoing -Activity 'Testing mutual TLS between members' -Arguments $peersOf -ScriptBlock {
        param($a)
        foreach ($peer in $a.peers) {
            $test = @{ Peer = "${peer}:$($a.port)"; PeerName = $a.name; TimeoutSeconds = 5; ErrorAction = 'Stop' }
            if ($a.thumbprint) { $test.Thumbprint = $a.thumbprint } else { $test.Role = $a.role }
            if ($a.trust) { $test.TrustAnchorPath = [string[]] @($a.trust) }
            try {
                $checks = @(Test-OcsCertificate @test | Where-Object Check -like 'Peer*')
                $bad = $checks | Where-Object { -not $_.Passed } | Select-Object -First 1
                [pscustomobject]@{ To = $peer; Passed = [bool] ($checks -and -not $bad); Reason = if ($bad) { "$($bad.Check): $($bad.Detail)" } else { $null } }
            }
            catch { [pscustomobject]@{ To = $peer; Passed = $false; Reason = $_.Exception.Message } }
        }
    }
    foreach ($t in $From) {
        foreach ($row in @($results[$t.Member.fqdn].Output)) {
            [pscustomobject]@{
                PSTypeName = 'OcsCertificate.PoolHandshake'
                From       = $t.Member.fqdn
                To         = $row.To
                Passed     = [bool] $row.Passed
                Reason     = $row.Reason
                Port       = $port
                Against    = if ($row.To -and $Against[$row.To]) { $Against[$row.To] } else { 'Responder' }
            }
        }
    }
}
