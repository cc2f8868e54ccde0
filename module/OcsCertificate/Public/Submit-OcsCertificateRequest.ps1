function Submit-OcsCertificateRequest {
    <#
    .SYNOPSIS
    Sends a pending certificate request to an online CA, installs what it issues and, with -Assign, assigns it.

    .DESCRIPTION
    Does what the wizard's "Send the request immediately to an online certification
    authority" page did, against the CAs admins run today:

      acme:<directory URL>   an ACME (RFC 8555) CA. The CA checks that this server answers
                             for every name: over HTTP by the built-in listener (-HttpListener,
                             port 80 by default) or a web server's root (-WebRoot), or in DNS
                             through your hook script (-DnsHook). The account key is kept in
                             the store; -Credential carries the external account binding
                             (user name = key id, password = HMAC key) where the CA wants one.
      scep:<URL>             SCEP (RFC 8894): Microsoft NDES in front of an enterprise CA,
                             e.g. scep:https://ndes.contoso.com/certsrv/mscep/mscep.dll.
                             -Credential's password is the NDES challenge password;
                             -CaFingerprint pins the CA certificate NDES hands out.

    The wizard's "CAHOST\CA Name" form is recognised, and answered with the NDES address to
    use instead. An issued certificate must carry the request's key and every name the
    request asked for, and its chain must link; otherwise nothing is installed. A CA that
    wants approval leaves the request Submitted, with the CA's request id and the time to
    ask again (Receive-OcsCertificate). A denial, or a CA that cannot be reached, is kept on
    the request with its reason and never blocks other requests.

    .PARAMETER RequestId
    The pending request to send (from Get-OcsCertificateRequest, or New-OcsCertificateRequest).
    Alias: -Id.

    .PARAMETER CA
    The CA: acme:<directory URL> or scep:<URL>.

    .PARAMETER Credential
    ACME: the external account binding (key id, HMAC key). SCEP: the challenge password. Never shown or logged.

    .PARAMETER CaBundle
    PEM file of the roots that the CA's HTTPS endpoint is checked against, when they are not the system's.

    .PARAMETER CaFingerprint
    SCEP: the SHA-256 (or SHA-1, as NDES shows it) fingerprint the CA certificate must have.

    .PARAMETER HttpListener
    ACME http-01: host:port the built-in listener answers on (default 0.0.0.0:80).

    .PARAMETER WebRoot
    ACME http-01: a web server's root folder to write the challenge answer into, instead of the listener.

    .PARAMETER DnsHook
    ACME dns-01: a program run as `<hook> add|remove _acme-challenge.<name> <value>` that publishes the TXT record.

    .PARAMETER Contact
    ACME: an e-mail address for the account.

    .PARAMETER TimeoutSeconds
    How long one HTTP exchange with the CA may take (default 30).

    .PARAMETER WaitSeconds
    How long to wait for validation and issuance before leaving the request waiting at the CA (default 120).

    .PARAMETER Assign
    Assigns the issued certificate to the request's roles, after the same checks as Set-OcsCertificate.

    .PARAMETER TrustAnchorPath
    With -Assign: PEM files of further trusted roots for the chain check.

    .PARAMETER StorePath
    The store folder; defaults to $env:OCSCERT_STORE, else the per-OS default.

    .EXAMPLE
    Get-OcsCertificateRequest | Submit-OcsCertificateRequest -CA 'scep:https://ndes.contoso.com/certsrv/mscep/mscep.dll' -Credential (Get-Credential ndes)

    Sends every pending request to NDES with its challenge password.

    .EXAMPLE
    Submit-OcsCertificateRequest -RequestId 1f3a9c2e -CA 'acme:https://ca.contoso.com/acme/directory' -Assign

    Orders the certificate by ACME, answering the CA's check on port 80, installs and assigns it.

    .EXAMPLE
    Submit-OcsCertificateRequest 1f3a9c2e -CA 'acme:https://acme.contoso.com/directory' -DnsHook C:\Scripts\Set-AcmeTxt.cmd -Credential $eab

    Proves the names in DNS through the admin's hook script, with external account binding.

    .INPUTS
    OcsCertificate.CertificateRequest, or any object with a RequestId (Id) or StorePath property.

    .OUTPUTS
    OcsCertificate.Certificate, or OcsCertificate.CertificateRequest when the CA has not issued yet.

    .LINK
    New-OcsCertificateRequest

    .LINK
    Receive-OcsCertificate
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    [OutputType('OcsCertificate.Certificate', 'OcsCertificate.CertificateRequest')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('Id')]
        [string] $RequestId,

        [Parameter(Mandatory)]
        [ArgumentCompletions("'acme:https://'", "'scep:https://'")]
        [string] $CA,

        [pscredential] $Credential,
        [string] $CaBundle,
        [string] $CaFingerprint,
        [string] $HttpListener,
        [string] $WebRoot,
        [string] $DnsHook,
        [string] $Contact,
        [ValidateRange(1, 600)] [int] $TimeoutSeconds,
        [ValidateRange(0, 3600)] [int] $WaitSeconds,
        [switch] $Assign,
        [string[]] $TrustAnchorPath,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $StorePath
    )
    process {
        $arguments = ConvertTo-OcsConnectionArguments -Cmdlet $PSCmdlet -Bound (@{} + $PSBoundParameters)
        $arguments['id'] = $RequestId
        $action = if ($Assign) { "Send to $CA, install and assign the certificate" } else { "Send to $CA and install the certificate" }
        if (-not (Test-OcsShouldProcess -Cmdlet $PSCmdlet -Target "request $RequestId" -Action $action)) { return }
        $result = Invoke-OcsNative -Cmdlet $PSCmdlet -Operation request_submit -Arguments $arguments -StorePath $StorePath -NonTerminating
        if ($result) { Write-OcsSubmissionResult -Cmdlet $PSCmdlet -Result $result }
    }
}
