function Unregister-OcsCertificateRenewal {
    <#
    .SYNOPSIS
    Removes the store's renewal job: exactly the files and the timer or task that were registered.

    .DESCRIPTION
    Stops and disables the systemd timer (systemctl disable --now) or deletes the Task Scheduler
    task (schtasks /Delete) if the registration told a scheduler, removes each file named in
    <store>/renewal/registration.json and nothing else, then that record. A timer, task or file
    already removed by hand is a warning, not a failure. Nothing registered is an error
    (NotRegistered). -WhatIf lists what would be removed.

    .PARAMETER StorePath
    The store folder; defaults to $env:OCSCERT_STORE, else the per-OS default.

    .EXAMPLE
    Unregister-OcsCertificateRenewal

    Removes the renewal job of the default store.

    .EXAMPLE
    Get-OcsCertificateRenewal -StorePath /srv/ocscert | Unregister-OcsCertificateRenewal -WhatIf

    Lists the files and commands the removal would touch, and changes nothing.

    .INPUTS
    Objects with a StorePath property.

    .OUTPUTS
    None

    .LINK
    Register-OcsCertificateRenewal

    .LINK
    Get-OcsCertificateRenewal
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    [OutputType([void])]
    param(
        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $StorePath
    )
    process {
        if ($StorePath) { $StorePath = Resolve-OcsPath $PSCmdlet $StorePath 'StorePath' }
        # One store without a job must not stop a pipeline of others.
        $plan = Invoke-OcsNative -Cmdlet $PSCmdlet -Operation renewal_unregister -Arguments ([ordered]@{ validateOnly = $true }) -StorePath $StorePath -NonTerminating
        if (-not $plan) { return }
        $detail = (@($plan.removed | ForEach-Object { "--- removes: $_" }) + @($plan.commands | ForEach-Object { "--- runs: $(@($_) -join ' ')" })) -join "`n"
        if (-not (Test-OcsShouldProcess -Cmdlet $PSCmdlet -Target $plan.storePath -Action "Unregister the renewal job $($plan.name) ($($plan.scheduler))" -Detail $detail)) { return }

        $result = Invoke-OcsNative -Cmdlet $PSCmdlet -Operation renewal_unregister -Arguments ([ordered]@{}) -StorePath $StorePath -NonTerminating
        if (-not $result) { return }
        foreach ($warning in $result.warnings) { Write-Warning $warning }
        foreach ($file in $result.removed) { Write-Verbose "Removed '$file'." }
    }
}
