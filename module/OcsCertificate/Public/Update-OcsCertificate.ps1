function Update-OcsCertificate {
    <#
    .SYNOPSIS
    Renews every role's certificate that is due, and binds the new one to the same roles: the scheduled renewal job.

    .DESCRIPTION
    For each certificate bound to a role of this server: if it fails its checks (expired,
    key missing, chain untrusted...) or is past its renewal time (RenewAfter on
    Get-OcsCertificate: 2/3 of its lifetime, 1/2 for one valid under 10 days, spread a
    little per certificate so pool members do not all renew at once), a new request is
    made from the profile it was requested with (a new key of the same algorithm, size and
    exportable flag), sent to the CA it came from with the settings it was obtained with,
    collected, installed, checked with the trust it was assigned with, and bound to the
    same roles. The old certificate stays as the roles' previous one, and stays bound if
    anything fails.

    No secret is needed: ACME uses the stored account; SCEP signs a RenewalReq with the
    current certificate. A CA that wants approval leaves the request Submitted and the next
    run collects it. A certificate from an offline CA gets a new request file in
    <store>/renewal/ and is reported as waiting for the admin. An imported certificate is
    reported as "renew by hand". Scheduled roll-overs that are due are carried out too.

    Nothing due is success and silence. Each failure is a non-terminating error, so
    `$?` is false when something due was not renewed: the scheduled job exits with
    `exit [int](-not $?)`. Killed at any point, the next run carries on where it stopped;
    two runs at once take turns. Each action is one line in <store>/logs/renewal.log, and
    Get-OcsCertificateRenewal shows the last run.

    .PARAMETER Force
    Renews the bound certificates even if they are not due.

    .PARAMETER RenewBeforeDays
    Renews this many days earlier than each certificate's renewal time.

    .PARAMETER Thumbprint
    Only the bound certificate with this thumbprint.

    .PARAMETER DeployHook
    A program run after a role's binding changed, as: <hook> <role> <thumbprint> <live folder>
    (to reload what reads <store>/live/<role>/). No shell is involved.

    .PARAMETER FailureHook
    A program run when something due was not renewed, as: <hook> <roles> <thumbprint> <reason> <message>.

    .PARAMETER HookTimeoutSeconds
    How long a hook may run before it is stopped (default 60).

    .PARAMETER WaitSeconds
    How long to wait for the CA to issue (default: as remembered, else 120).

    .PARAMETER RolloverDelayHours
    Binds the new certificate this many hours later (a scheduled roll-over, as
    Set-OcsCertificate -EffectiveDate), instead of at once.

    .PARAMETER StorePath
    The store folder; defaults to $env:OCSCERT_STORE, else the per-OS default.

    .EXAMPLE
    Update-OcsCertificate -WhatIf

    Says what would be renewed, for which roles, and why now; changes nothing.

    .EXAMPLE
    Update-OcsCertificate -DeployHook /usr/local/bin/reload-ocs

    Renews what is due and runs the hook for each role whose certificate changed.

    .EXAMPLE
    pwsh -NoProfile -NonInteractive -Command "Import-Module OcsCertificate; Update-OcsCertificate; exit [int](-not `$?)"

    The command the scheduled job runs (Register-OcsCertificateRenewal sets it up).

    .INPUTS
    None.

    .OUTPUTS
    OcsCertificate.RenewalResult for each certificate acted on.

    .LINK
    Register-OcsCertificateRenewal

    .LINK
    Get-OcsCertificate
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    [OutputType('OcsCertificate.RenewalResult')]
    param(
        [switch] $Force,
        [ValidateRange(0, 365)] [int] $RenewBeforeDays,
        [string] $Thumbprint,
        [string] $DeployHook,
        [string] $FailureHook,
        [ValidateRange(1, 3600)] [int] $HookTimeoutSeconds,
        [ValidateRange(0, 3600)] [int] $WaitSeconds,
        [ValidateRange(0, 720)] [int] $RolloverDelayHours,
        [string] $StorePath
    )
    $arguments = [ordered]@{}
    $map = @{ RenewBeforeDays = 'renewBeforeDays'; Thumbprint = 'thumbprint'; HookTimeoutSeconds = 'hookTimeoutSeconds'
              WaitSeconds = 'waitSeconds'; RolloverDelayHours = 'rolloverDelayHours' }
    foreach ($name in $map.Keys) {
        if ($PSBoundParameters.ContainsKey($name)) { $arguments[$map[$name]] = $PSBoundParameters[$name] }
    }
    if ($Force) { $arguments['force'] = $true }
    foreach ($hook in 'DeployHook', 'FailureHook') {
        if ($PSBoundParameters.ContainsKey($hook)) {
            $arguments[$hook.Substring(0, 1).ToLowerInvariant() + $hook.Substring(1)] = Resolve-OcsPath $PSCmdlet $PSBoundParameters[$hook] $hook
        }
    }
    if ($WhatIfPreference) {
        $arguments['validateOnly'] = $true
        $plan = Invoke-OcsNative -Cmdlet $PSCmdlet -Operation certificate_renew -Arguments $arguments -StorePath $StorePath
        foreach ($result in $plan.results | Where-Object outcome -ne 'NotDue') {
            $target = "certificate $($result.thumbprint) of $($result.roles -join ', ')"
            Write-Verbose "${target}: $($result.message)"  # the What if: line goes to the host only
            $action = if ($result.outcome -eq 'WouldRollOver') { 'Roll over' } else { 'Renew' }
            $null = $PSCmdlet.ShouldProcess($target, "${action}: $($result.message)")
        }
        return
    }
    if (-not (Test-OcsShouldProcess -Cmdlet $PSCmdlet -Target 'the certificates that are due' -Action 'Renew and bind to the same roles')) { return }
    $run = Invoke-OcsNative -Cmdlet $PSCmdlet -Operation certificate_renew -Arguments $arguments -StorePath $StorePath
    foreach ($result in $run.results | Where-Object outcome -ne 'NotDue') {
        $object = ConvertTo-OcsRenewalResult -Result $result -StorePath $run.storePath
        if ($result.outcome -in 'Failed', 'Denied', 'WaitingForAdmin', 'RenewByHand') {
            $reason = if ($result.reason) { $result.reason } else { $result.outcome }
            $exception = [System.Exception]::new("Certificate $($result.thumbprint) ($($result.roles -join ', ')): $($result.message)")
            $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new($exception, $reason, 'NotSpecified', $object))
        }
        else {
            $object
        }
    }
    if ($run.result -eq 'Failed' -and -not @($run.results | Where-Object outcome -in 'Failed', 'Denied', 'WaitingForAdmin', 'RenewByHand')) {
        # Only a hook failed: the renewals stand, but the job must not report success.
        $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
            [System.Exception]::new("A deploy or failure hook failed; see $($run.storePath)/logs/renewal.log."), 'HookFailed', 'NotSpecified', $null))
    }
}
