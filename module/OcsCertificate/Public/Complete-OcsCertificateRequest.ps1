function Complete-OcsCertificateRequest {
    <#
    .SYNOPSIS
    Installs the certificate a CA issued for a pending request, with its chain.

    .DESCRIPTION
    Reads the CA's answer — a PEM or DER certificate, a PEM chain, or a PKCS#7 (.p7b)
    bundle — finds the pending request whose private key the certificate certifies, and
    installs certificate, chain and key together; the pending request is then completed.
    A response that matches no pending request's key, lacks a name the request asked
    for, or is damaged is refused, and the store is left as it was. A process killed at
    any point leaves either the pending request or the installed certificate, never a
    mix of the two.

    .PARAMETER Path
    The file the CA returned.
    Alias: -FullName.

    .PARAMETER StorePath
    The store folder; defaults to $env:OCSCERT_STORE, else the per-OS default.

    .EXAMPLE
    Complete-OcsCertificateRequest -Path pool01.cer

    Installs the certificate issued for the request made earlier with New-OcsCertificateRequest.

    .EXAMPLE
    Get-ChildItem \\ca\responses\*.p7b | Complete-OcsCertificateRequest

    Installs every response in a folder; each is matched to its own pending request.

    .INPUTS
    System.String: the path of a CA answer file (or a file object from Get-ChildItem, by FullName); StorePath by property name.

    .OUTPUTS
    OcsCertificate.Certificate

    .LINK
    New-OcsCertificateRequest

    .LINK
    Get-OcsCertificateRequest

    .LINK
    Set-OcsCertificate
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Low')]
    [OutputType('OcsCertificate.Certificate')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [Alias('FullName')]
        [string] $Path,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $StorePath
    )
    process {
        $file = Resolve-OcsPath $PSCmdlet $Path 'Path'
        if (-not (Test-OcsShouldProcess -Cmdlet $PSCmdlet -Target $file -Action 'Install the issued certificate and complete its pending request')) { return }
        $record = Invoke-OcsNative -Cmdlet $PSCmdlet -Operation request_complete -Arguments ([ordered]@{ path = $file }) -StorePath $StorePath
        ConvertTo-OcsCertificate -Record $record
    }
}
