function Get-OcsCertificateRequest {
    <#
    .SYNOPSIS
    Lists the pending certificate requests kept in the store.

    .DESCRIPTION
    Every request made by New-OcsCertificateRequest stays in the store, with its private
    key and all its inputs, until it is completed or removed; this lists them. Requests
    survive reboots and other sessions.

    .PARAMETER Id
    Only the request with this id.
    Alias: -RequestId.

    .PARAMETER StorePath
    The store folder; defaults to $env:OCSCERT_STORE, else the per-OS default.

    .EXAMPLE
    Get-OcsCertificateRequest

    Lists every pending request.

    .EXAMPLE
    Get-OcsCertificateRequest -Id 3f2a9c01 | Select-Object -ExpandProperty RequestPem

    Shows one request in PEM form, e.g. to paste into a CA's web form.

    .INPUTS
    OcsCertificate.CertificateRequest, or any object with an Id (RequestId) or StorePath property.

    .OUTPUTS
    OcsCertificate.CertificateRequest

    .LINK
    New-OcsCertificateRequest

    .LINK
    Submit-OcsCertificateRequest

    .LINK
    Receive-OcsCertificate

    .LINK
    Remove-OcsCertificateRequest
    #>
    [CmdletBinding()]
    [OutputType('OcsCertificate.CertificateRequest')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('RequestId')]
        [string] $Id,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $StorePath
    )
    process {
        foreach ($record in Invoke-OcsList -Cmdlet $PSCmdlet -Operation request_list -Filter @{ id = $Id } -Property requests -StorePath $StorePath) {
            ConvertTo-OcsCertificateRequest -Record $record
        }
    }
}
