function Receive-OcsCertificate {
    <#
    .SYNOPSIS
    Collects certificates that CAs have issued for submitted requests (after manager approval, say), and installs them.

    .DESCRIPTION
    Asks each CA about the requests waiting there. Without -RequestId only the requests
    whose next-poll time has come are asked about, so a scheduled job can run this as often
    as it likes without pestering the CA; "nothing to do" is not an error. With -RequestId
    that request is asked about now. Issued certificates are checked and installed (and
    assigned with -Assign), requests still waiting get a new poll time, denials are kept on
    the request with the CA's reason. One request's failure never stops the others.

    .PARAMETER RequestId
    One submitted request to ask about now.
    Alias: -Id.

    .PARAMETER Credential
    ACME: the external account binding, if the CA requires it for every session.

    .PARAMETER WaitSeconds
    How long to wait for a CA that is still working on the request (default 120).

    .PARAMETER Assign
    Assigns each issued certificate to its request's roles, after the same checks as Set-OcsCertificate.

    .PARAMETER TrustAnchorPath
    With -Assign: PEM files of further trusted roots for the chain check.

    .PARAMETER StorePath
    The store folder; defaults to $env:OCSCERT_STORE, else the per-OS default.

    .EXAMPLE
    Receive-OcsCertificate -RequestId 1f3a9c2e

    Asks the CA about one request now.

    .EXAMPLE
    Receive-OcsCertificate -Assign -Verbose

    The scheduled job: collects every request that is due, installs and assigns what was issued.

    .INPUTS
    OcsCertificate.CertificateRequest, or any object with a RequestId (Id) or StorePath property.

    .OUTPUTS
    OcsCertificate.Certificate for each certificate installed; OcsCertificate.CertificateRequest for each still waiting.

    .LINK
    Submit-OcsCertificateRequest

    .LINK
    Get-OcsCertificateRequest
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Low')]
    [OutputType('OcsCertificate.Certificate', 'OcsCertificate.CertificateRequest')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('Id')]
        [string] $RequestId,

        [pscredential] $Credential,
        [ValidateRange(0, 3600)] [int] $WaitSeconds,
        [switch] $Assign,
        [string[]] $TrustAnchorPath,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $StorePath
    )
    process {
        $arguments = ConvertTo-OcsConnectionArguments -Cmdlet $PSCmdlet -Bound (@{} + $PSBoundParameters)
        if ($RequestId) { $arguments['id'] = $RequestId }
        $target = if ($RequestId) { "request $RequestId" } else { 'every submitted request that is due' }
        if (-not (Test-OcsShouldProcess -Cmdlet $PSCmdlet -Target $target -Action 'Ask the CA and install what it issued')) { return }
        $answer = Invoke-OcsNative -Cmdlet $PSCmdlet -Operation request_receive -Arguments $arguments -StorePath $StorePath -NonTerminating
        foreach ($result in $answer.results) { Write-OcsSubmissionResult -Cmdlet $PSCmdlet -Result $result }
    }
}
