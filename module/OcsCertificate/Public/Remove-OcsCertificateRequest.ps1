function Remove-OcsCertificateRequest {
    <#
    .SYNOPSIS
    Removes a pending certificate request and its private key from the store.

    .DESCRIPTION
    The request folder disappears in one step: other sessions see the request either
    whole or not at all. The private key is deleted with it, so a certificate the CA
    issues for this request afterwards can no longer be installed. Asks for confirmation
    unless -Confirm:$false is given.

    .PARAMETER Id
    The request's id, as Get-OcsCertificateRequest shows it.
    Alias: -RequestId.

    .PARAMETER StorePath
    The store folder; defaults to $env:OCSCERT_STORE, else the per-OS default.

    .EXAMPLE
    Remove-OcsCertificateRequest -Id 3f2a9c01

    Removes one request after asking.

    .EXAMPLE
    Get-OcsCertificateRequest | Where-Object Created -lt (Get-Date).AddDays(-90) | Remove-OcsCertificateRequest -Confirm:$false

    Clears requests older than 90 days without asking.

    .INPUTS
    OcsCertificate.CertificateRequest, or any object with an Id (RequestId) property.

    .OUTPUTS
    None.

    .LINK
    Get-OcsCertificateRequest

    .LINK
    New-OcsCertificateRequest
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    [OutputType([void])]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('RequestId')]
        [string] $Id,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $StorePath
    )
    process {
        if (-not (Test-OcsShouldProcess -Cmdlet $PSCmdlet -Target "pending request $Id" -Action 'Remove the request and its private key')) { return }
        $null = Invoke-OcsNative -Cmdlet $PSCmdlet -Operation request_remove -Arguments ([ordered]@{ id = $Id }) -StorePath $StorePath
    }
}
