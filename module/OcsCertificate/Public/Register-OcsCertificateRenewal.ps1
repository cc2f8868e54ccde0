function Register-OcsCertificateRenewal {
    <#
    .SYNOPSIS
    Registers the scheduled job that renews the store's certificates twice a day, as the OS does it.

    .DESCRIPTION
    The job runs this pwsh and this module by full path:
    pwsh -NoProfile -NonInteractive -Command "Import-Module '<module>'; Update-OcsCertificate -StorePath '<store>'; exit [int](-not $?)"
    so it needs no profile or module path, and its exit code is non-zero when a renewal that was
    due failed.

    Linux with systemd: a service and a timer in /etc/systemd/system (OnCalendar 00:00 and 12:00,
    RandomizedDelaySec=43200, Persistent=true), then systemctl daemon-reload and enable --now.
    Linux without systemd: a file in /etc/cron.d running the job twice a day at a time of this
    machine's own, after a random sleep of up to an hour, its output appended to
    <store>/logs/renewal-job.log. Windows: a Task Scheduler task \OcsCert\<name> running as
    SYSTEM at 00:00 and 12:00 with a random delay of up to 12 hours (schtasks /Create /XML; the
    definition is kept in <store>/renewal).

    The job's name comes from the store path (ocscert-renew-<8 hex>), so each store has one job and
    registering again replaces it. What was written is recorded in <store>/renewal/registration.json,
    and Unregister-OcsCertificateRenewal removes exactly that. -WhatIf shows the files' full text
    and writes nothing; -Verbose shows it too.

    .PARAMETER Scheduler
    Auto (default: the Task Scheduler on Windows, systemd where it runs, else cron), Systemd, Cron
    or TaskScheduler.

    .PARAMETER Folder
    Writes the files into this folder instead, and tells no scheduler about them (no systemctl, no
    schtasks): for staging, configuration management or a cron.d of your own.

    .PARAMETER DeployHook
    A program the job runs after a role's certificate changes (passed to Update-OcsCertificate).

    .PARAMETER FailureHook
    A program the job runs when a renewal fails (passed to Update-OcsCertificate).

    .PARAMETER Schedule
    Cron only, meant for tests: five cron time fields (e.g. '* * * * *') instead of twice a day; the
    random sleep is left out, so the job runs at exactly those times.

    .PARAMETER StorePath
    The store folder; defaults to $env:OCSCERT_STORE, else the per-OS default.

    .EXAMPLE
    Register-OcsCertificateRenewal

    Registers the job with this machine's scheduler (as root or Administrator).

    .EXAMPLE
    Register-OcsCertificateRenewal -DeployHook /usr/local/sbin/reload-ocs -WhatIf

    Shows the unit, cron or task text that would be written, and writes nothing.

    .EXAMPLE
    Register-OcsCertificateRenewal -Scheduler Systemd -Folder ./units

    Writes the systemd service and timer into ./units only, e.g. to ship them with other configuration.

    .INPUTS
    Objects with a StorePath property.

    .OUTPUTS
    OcsCertificate.RenewalRegistration

    .LINK
    Get-OcsCertificateRenewal

    .LINK
    Unregister-OcsCertificateRenewal

    .LINK
    Update-OcsCertificate
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    [OutputType('OcsCertificate.RenewalRegistration')]
    param(
        [ValidateSet('Auto', 'Systemd', 'Cron', 'TaskScheduler')]
        [string] $Scheduler = 'Auto',

        [string] $Folder,

        [string] $DeployHook,

        [string] $FailureHook,

        [string] $Schedule,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $StorePath
    )
    process {
        $store = Resolve-OcsRenewalStore -Cmdlet $PSCmdlet -StorePath $StorePath
        # The job runs later, elsewhere: a hook given now must be there now, by full path.
        $hooks = @{}
        foreach ($name in 'DeployHook', 'FailureHook') {
            $value = Get-Variable -Name $name -ValueOnly
            if (-not $value) { continue }
            $path = Resolve-OcsPath $PSCmdlet $value $name
            if (-not (Test-Path -LiteralPath $path -PathType Leaf)) {
                $exception = [System.IO.FileNotFoundException]::new("${name}: '$path' does not exist; give the full path of the program the job should run.")
                $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new($exception, 'HookNotFound', 'ObjectNotFound', $value))
            }
            $hooks[$name] = $path
        }
        $arguments = [ordered]@{
            scheduler    = $Scheduler
            command      = New-OcsRenewalJobCommand -StorePath $store @hooks
            validateOnly = $true
        }
        if ($Folder) { $arguments['folder'] = Resolve-OcsPath $PSCmdlet $Folder 'Folder' }
        if ($PSBoundParameters.ContainsKey('Schedule')) { $arguments['schedule'] = $Schedule }

        # Rendered and checked first, so -WhatIf shows the real text and bad input fails before anything is written.
        $plan = Invoke-OcsNative -Cmdlet $PSCmdlet -Operation renewal_register -Arguments $arguments -StorePath $store
        Write-Verbose (Format-OcsRenewalPlan -Plan $plan -WithTexts)
        $action = "Register the renewal job $($plan.name) with $($plan.scheduler) ($($plan.schedule))"
        if (-not (Test-OcsShouldProcess -Cmdlet $PSCmdlet -Target $store -Action $action -Detail (Format-OcsRenewalPlan -Plan $plan -WithTexts))) { return }

        $arguments.Remove('validateOnly')
        $record = Invoke-OcsNative -Cmdlet $PSCmdlet -Operation renewal_register -Arguments $arguments -StorePath $store
        foreach ($warning in $record.warnings) { Write-Warning $warning }
        ConvertTo-OcsRenewalRegistration -Record $record
    }
}
