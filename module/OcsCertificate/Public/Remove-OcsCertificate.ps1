function Remove-OcsCertificate {
    <#
    .SYNOPSIS
    Removes an installed certificate and its private key from the store.

    .DESCRIPTION
    Refused while a role uses the certificate or keeps it as its previous one (for
    -Previous), unless -Force is given; even then the live copies that services read
    stay until another certificate is assigned. Asks for confirmation.

    .PARAMETER Thumbprint
    The certificate's SHA-1 thumbprint.

    .PARAMETER Force
    Removes it even if a role uses it.

    .PARAMETER StorePath
    The store folder; defaults to $env:OCSCERT_STORE, else the per-OS default.

    .EXAMPLE
    Remove-OcsCertificate -Thumbprint 3F2A...

    Removes an unused certificate after asking.

    .EXAMPLE
    Get-OcsCertificate -ExpiringWithinDays 0 | Remove-OcsCertificate -Confirm:$false

    Clears expired certificates that no role uses (the others are refused, one error each).
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
