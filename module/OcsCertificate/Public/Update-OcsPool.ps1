function Update-OcsPool {
    <#
    .SYNOPSIS
    Renews what is due across a pool, a few members at a time, switching each new certificate in only after it passes mutual TLS with the others.

    .DESCRIPTION
    Connects to every member of the pool definition, finds the members whose
    mutual-TLS (Front End) certificate is due (past RenewAfter, failing its checks,
    or all with -Force), and renews them in batches of at most -MaxUnavailable
    members. For each member of a batch:

    1. Update-OcsCertificate renews the certificate with the stored settings, but the
       new certificate is only scheduled for the roles (24 hours ahead); the member
       keeps serving the old one.
    2. The new certificate is tried in both directions against every other member:
       the member connects to the others with it, and the others connect to a
       responder on the member that presents it.
    3. If every handshake passed, the new certificate is assigned to the member's
       roles at once. If not, the old certificate is assigned again (which cancels
       the scheduled switch) and the member is reported with the reason.

    So at most -MaxUnavailable members change certificates at any moment, and none
    switches to a certificate that the rest of the pool refuses. If the command is
    interrupted between steps 1 and 3, the scheduled switch still happens within 24
    hours (the certificate passed the member's own checks), or the next run tests it.

    .PARAMETER Pool
    The pool definition file.

    .PARAMETER Member
    Only these members.

    .PARAMETER MaxUnavailable
    How many members may renew at once (default 1).

    .PARAMETER Force
    Renews every member's certificate, due or not.

    .PARAMETER ThrottleLimit
    How many members are read or tested at once (default 8).

    .PARAMETER InstallModule
    Copies this module to members that lack it or run another version.

    .PARAMETER ConnectingTimeoutSeconds
    How long to wait for a member's session to open, the remote PowerShell start included (default 30).

    .EXAMPLE
    Update-OcsPool -Pool .\pool01.psd1

    Renews what is due, one member at a time.

    .EXAMPLE
    Update-OcsPool -Pool .\pool01.psd1 -Force -MaxUnavailable 2 -WhatIf

    Says which members would be renewed, two at a time; changes nothing.

    .INPUTS
    None.

    .OUTPUTS
    OcsCertificate.PoolRenewalResult, one per member.

    .LINK
    Test-OcsPool

    .LINK
    Update-OcsCertificate
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    [OutputType('OcsCertificate.PoolRenewalResult')]
    param(
        [Parameter(Mandatory, Position = 0)] [string] $Pool,
        [string[]] $Member,
        [ValidateRange(1, 64)] [int] $MaxUnavailable = 1,
        [switch] $Force,
        [ValidateRange(1, 64)] [int] $ThrottleLimit = 8,
        [switch] $InstallModule,
        [ValidateRange(1, 300)] [int] $ConnectingTimeoutSeconds = 30
    )
    Import-OcsOnDemand Pool
    $definition = Read-OcsPoolDefinition -Cmdlet $PSCmdlet -Path $Pool -Member $Member
    $targets = @()
    $outcome = @{}
    try {
        # Every member takes part in the tests (and answers http-01 for the pool name); -Member limits what renews.
        $targets = Open-OcsPoolSession -Cmdlet $PSCmdlet -Pool $definition -ConnectingTimeoutSeconds $ConnectingTimeoutSeconds -InstallModule:$InstallModule -ThrottleLimit $ThrottleLimit -All
        $selected = @($definition.selected.fqdn)
        $trust = @($definition.trustAnchorPath)
        # What each member has now, and whether it is due.
        $now = Invoke-OcsPoolMember -Targets $targets -ThrottleLimit $ThrottleLimit -Activity 'Reading each member' -Arguments {
            param($t) @{ role = Get-OcsPoolMtlsRole $t.Member }
        } -ScriptBlock {
            param($a)
            $bound = Get-OcsCertificateBinding | Where-Object Role -eq $a.role | Select-Object -First 1
            if (-not $bound -or -not $bound.Thumbprint) { return [pscustomobject]@{ Thumbprint = $null; Due = $true; Roles = @() } }
            $certificate = Get-OcsCertificate -Thumbprint $bound.Thumbprint
            $failing = @(Test-OcsCertificate -Role $a.role -ErrorAction SilentlyContinue | Where-Object { -not $_.Passed })
            $roles = @(Get-OcsCertificateBinding | Where-Object Thumbprint -eq $bound.Thumbprint | ForEach-Object Role)
            [pscustomobject]@{ Thumbprint = $bound.Thumbprint; Due = [bool] ($certificate.RenewAfter -le [DateTime]::UtcNow -or $failing); Roles = [string[]] $roles; RenewAfter = $certificate.RenewAfter }
        }
        foreach ($t in $targets | Where-Object Status -eq 'Pending') {
            $t | Add-Member -NotePropertyName Now -NotePropertyValue (@($now[$t.Member.fqdn].Output)[-1]) -Force
            if (-not $t.Now.Thumbprint) { Set-OcsPoolTargetFailed $t 'Failed' 'RoleNotBound' "No certificate is assigned to $(Get-OcsPoolMtlsRole $t.Member); run Request-OcsPoolCertificate -Assign first." }
        }
        $reachable = @($targets | Where-Object Status -eq 'Pending')
        $due = @($reachable | Where-Object { $_.Member.fqdn -in $selected -and ($Force -or $_.Now.Due) })
        foreach ($t in $reachable | Where-Object { $_.Member.fqdn -in $selected -and $_ -notin $due }) {
            $outcome[$t.Member.fqdn] = @{ Status = 'NotDue'; Detail = "Renews after $(([datetime] $t.Now.RenewAfter).ToString('u'))." }
        }
        $due = @($due | Where-Object { $PSCmdlet.ShouldProcess($_.Member.fqdn, "Renew certificate $($_.Now.Thumbprint) ($($_.Now.Roles -join ', ')), test it against the other members, then switch") })
        $http01 = $due -and $definition.request.ca -match '^acme:' -and -not $definition.request.webRoot -and -not $definition.request.dnsHook
        if ($http01) { Open-OcsPoolChallengeListener -Pool $definition -Targets $reachable -ThrottleLimit $ThrottleLimit -Seconds 3600 }
        $against = if ($due) { Open-OcsPoolResponder -Pool $definition -Targets $reachable -ThrottleLimit $ThrottleLimit -Seconds 3600 } else { @{} }
        if ($due) { try {
            for ($i = 0; $i -lt $due.Count; $i += $MaxUnavailable) {
                $batch = @($due[$i..([Math]::Min($i + $MaxUnavailable, $due.Count) - 1)])
                Write-Progress -Id 1 -Activity "Rolling renewal of pool $($definition.poolFqdn)" -Status "Members $($i + 1)-$($i + $batch.Count) of $($due.Count): $($batch.Member.fqdn -join ', ')" -PercentComplete ([int](100 * $i / $due.Count))
                $started = [DateTime]::UtcNow
                # 1. Renew, scheduled 24 h ahead: the member keeps its old certificate until tested.
                $renewed = Invoke-OcsPoolMember -Targets $batch -ThrottleLimit $MaxUnavailable -Activity 'Renewing' -Arguments {
                    param($t) @{ thumbprint = $t.Now.Thumbprint }
                } -ScriptBlock {
                    param($a)
                    Update-OcsCertificate -Thumbprint $a.thumbprint -Force -RolloverDelayHours 24 -Confirm:$false -ErrorAction Stop | Select-Object -Last 1 NewThumbprint, Outcome, Message
                }
                $fresh = @{}
                foreach ($t in $batch) {
                    $r = @($renewed[$t.Member.fqdn].Output)[-1]
                    if ($t.Status -ne 'Pending') { $outcome[$t.Member.fqdn] = @{ Status = 'Failed'; Detail = $t.Error }; continue }
                    if (-not $r.NewThumbprint) { Set-OcsPoolTargetFailed $t 'Failed' 'NotRenewed' "The renewal gave no new certificate: $($r.Outcome) $($r.Message)"; $outcome[$t.Member.fqdn] = @{ Status = 'Failed'; Detail = $t.Error }; continue }
                    $fresh[$t.Member.fqdn] = $r.NewThumbprint
                }
                $testing = @($batch | Where-Object { $fresh[$_.Member.fqdn] })
                if (-not $testing) { continue }
                # 2. Both directions with the new certificates: they present them on their responders and use them as clients.
                $null = Open-OcsPoolResponder -Pool $definition -Targets $testing -Thumbprint $fresh -ThrottleLimit $ThrottleLimit -Seconds 3600
                $outbound = @(Invoke-OcsPoolMatrix -Pool $definition -From $testing -To $reachable -Thumbprint $fresh -Against $against -ThrottleLimit $ThrottleLimit)
                $others = @($reachable | Where-Object { $_ -notin $testing })
                $inbound = if ($others) { @(Invoke-OcsPoolMatrix -Pool $definition -From $others -To $testing -Against $against -ThrottleLimit $ThrottleLimit) } else { @() }
                # 3. Switch in what passed; re-assign the old certificate where it did not (cancelling the scheduled switch).
                foreach ($t in $testing) {
                    $fqdn = $t.Member.fqdn
                    $failed = @($outbound + $inbound | Where-Object { ($_.From -eq $fqdn -or $_.To -eq $fqdn) -and -not $_.Passed })
                    $keep = if ($failed) { $t.Now.Thumbprint } else { $fresh[$fqdn] }
                    $set = Invoke-OcsPoolMember -Targets @($t) -Activity 'Switching' -Arguments { param($x) @{ thumbprint = $keep; role = [string[]] $t.Now.Roles; trust = $trust } } -ScriptBlock {
                        param($a)
                        $assign = @{ Thumbprint = $a.thumbprint; Role = [string[]] $a.role; Confirm = $false; ErrorAction = 'Stop' }
                        if ($a.trust) { $assign.TrustAnchorPath = [string[]] @($a.trust) }
                        $null = Set-OcsCertificate @assign
                        'done'
                    }
                    $null = $set
                    if ($t.Status -ne 'Pending') { $outcome[$fqdn] = @{ Status = 'Failed'; New = $fresh[$fqdn]; Detail = "Switching failed: $($t.Error)" } }
                    elseif ($failed) {
                        Set-OcsPoolTargetFailed $t 'KeptOld' 'NewCertificateRefused' "The new certificate $($fresh[$fqdn]) failed mutual TLS, so the old one stays: $(($failed | ForEach-Object { "$($_.From) -> $($_.To): $($_.Reason)" }) -join '; ')"
                        $outcome[$fqdn] = @{ Status = 'KeptOld'; New = $fresh[$fqdn]; Detail = $t.Error }
                    }
                    else {
                        $t.Status = 'Renewed'
                        $outcome[$fqdn] = @{ Status = 'Renewed'; New = $fresh[$fqdn]; Detail = "Passed mutual TLS with $($others.Count + $testing.Count - 1) members; assigned to $($t.Now.Roles -join ', ')." }
                    }
                }
                foreach ($t in $batch) { $o = $outcome[$t.Member.fqdn]; if ($o) { $o.Started = $started; $o.Finished = [DateTime]::UtcNow } }
                # The responders of this batch go back to what the members now present.
                $null = Open-OcsPoolResponder -Pool $definition -Targets $testing -ThrottleLimit $ThrottleLimit -Seconds 3600
            }
        }
        finally {
            $null = Close-OcsPoolResponder -Pool $definition -Targets $reachable
            if ($http01) { Close-OcsPoolChallengeListener -Pool $definition -Targets $reachable }
        } }
    }
    finally {
        Write-Progress -Id 1 -Activity 'Rolling renewal' -Completed
        Close-OcsPoolSession $targets
    }
    $targets = @($targets | Where-Object { $_.Member.fqdn -in $selected })
    foreach ($t in $targets) {
        $o = $outcome[$t.Member.fqdn]
        if ($t.Status -eq 'Pending' -and -not $o) { continue }  # declined under -Confirm / -WhatIf
        if (-not $o) { $o = @{ Status = $t.Status; Detail = $t.Error } }
        if ($o.Status -eq 'NotDue') { $t.Status = 'NotDue' }
        [pscustomobject]@{
            PSTypeName     = 'OcsCertificate.PoolRenewalResult'
            Member         = $t.Member.fqdn
            PSComputerName = if ($t.Member.transport -eq 'ssh') { $t.Member.hostName } else { $t.Member.computerName }
            Status         = $o.Status
            OldThumbprint  = if ($t.PSObject.Properties['Now']) { $t.Now.Thumbprint } else { $null }
            NewThumbprint  = $o.New
            Detail         = $o.Detail
            Started        = $o.Started
            Finished       = $o.Finished
        }
    }
    Write-OcsPoolOutcome -Cmdlet $PSCmdlet -Targets @($targets | Where-Object { $outcome[$_.Member.fqdn] -or $_.Status -ne 'Pending' }) -Done 'renewed or not due'
}
