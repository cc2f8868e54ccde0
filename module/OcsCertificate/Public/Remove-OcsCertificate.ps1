function Remove-OcsCertificate {
    <#
    .SYNOPSIS
    Removes an installed certificate and its private key from the store.

    .DESCRIPTION
    Never removes a certificate a role uses now: assign another one to the role first
    (Set-OcsCertificate). One a role keeps as its previous certificate (for -Previous) or
    will roll over to is refused unless -Force is given; then the role forgets it too, so
    no binding names a certificate that is gone. Asks for confirmation.

    .PARAMETER Thumbprint
    The certificate's SHA-1 thumbprint.

    .PARAMETER Force
    Removes it even if a role keeps it as its previous certificate or will roll over to it
    (not if a role uses it now).

    .PARAMETER StorePath
    The store folder; defaults to $env:OCSCERT_STORE, else the per-OS default.

    .EXAMPLE
    Remove-OcsCertificate -Thumbprint 3F2A...

    Removes an unused certificate after asking.

    .EXAMPLE
    Get-OcsCertificate -ExpiringWithinDays 0 | Remove-OcsCertificate -Confirm:$false

    Clears expired certificates that no role uses (the others are refused, one error each).

    .INPUTS
    OcsCertificate.Certificate, or any object with a Thumbprint (and StorePath) property.

    .OUTPUTS
    None.

    .LINK
    Get-OcsCertificate

    .LINK
    Set-OcsCertificate
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    [OutputType([void])]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [string] $Thumbprint,

        [switch] $Force,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $StorePath
    )
    process {
        if (-not (Test-OcsShouldProcess -Cmdlet $PSCmdlet -Target "certificate $Thumbprint" -Action 'Remove the certificate and its private key')) { return }
        # One refused certificate must not stop the rest of a pipeline.
        $null = Invoke-OcsNative -Cmdlet $PSCmdlet -Operation certificate_remove -NonTerminating `
            -Arguments ([ordered]@{ thumbprint = $Thumbprint; force = $Force.IsPresent }) -StorePath $StorePath
    }
}
