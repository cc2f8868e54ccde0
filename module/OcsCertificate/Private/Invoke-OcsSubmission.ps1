# What New-, Submit- and Receive- share: the CA connection parameters turned
# into the library's input, and a CA's answer turned into output.

# The connection parameters present on the command line, in the library's terms.
# Paths are resolved against the current location; the credential's password
# goes only into the JSON handed to the library, never into output or messages.
function ConvertTo-OcsConnectionArguments {
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)] [hashtable] $Bound
    )
    $arguments = [ordered]@{}
    foreach ($name in 'CaFingerprint', 'HttpListener', 'Contact', 'TimeoutSeconds', 'WaitSeconds') {
        if ($Bound.ContainsKey($name)) { $arguments[$name.Substring(0, 1).ToLowerInvariant() + $name.Substring(1)] = $Bound[$name] }
    }
    if ($Bound.ContainsKey('CA')) { $arguments['ca'] = $Bound['CA'] }
    foreach ($name in 'CaBundle', 'WebRoot', 'DnsHook') {
        if ($Bound[$name]) { $arguments[$name.Substring(0, 1).ToLowerInvariant() + $name.Substring(1)] = Resolve-OcsPath $Cmdlet $Bound[$name] $name }
    }
    if ($Bound['TrustAnchorPath']) { $arguments['trustAnchorPath'] = @($Bound['TrustAnchorPath'] | ForEach-Object { Resolve-OcsPath $Cmdlet $_ 'TrustAnchorPath' }) }
    if ($Bound['Assign']) { $arguments['assign'] = $true }
    if ($Bound['Credential']) {
        $credential = [System.Management.Automation.PSCredential] $Bound['Credential']
        $arguments['credential'] = @{ userName = $credential.UserName; password = $credential.GetNetworkCredential().Password }
    }
    $arguments
}

# One CA answer (request_submit's output, or one of request_receive's results) as output:
# the installed certificate, or the request still waiting at the CA. A denial, a
# failure or an assignment the checks refused is a non-terminating error naming the request.
function Write-OcsSubmissionResult {
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)] $Result
    )
    switch ($Result.outcome) {
        'Issued' {
            $certificate = ConvertTo-OcsCertificate -Record $Result.certificate
            if ($Result.assignment) { $certificate.Role = [string[]] @($Result.assignment.assigned) }
            if ($Result.assignError) {
                $message = "Installed as $($certificate.Thumbprint) but not assigned: $($Result.assignError.message)"
                $Cmdlet.WriteError([System.Management.Automation.ErrorRecord]::new([System.Exception]::new($message), $Result.assignError.reason, 'InvalidResult', $certificate))
            }
            $certificate
        }
        'Pending' {
            $request = ConvertTo-OcsCertificateRequest -Record $Result.request
            $Cmdlet.WriteVerbose("Request $($request.Id) waits at $($request.CA) (CA request $($request.CaRequestId)); next poll $($request.NextPoll.ToString('u')).")
            $request
        }
        'Denied' {
            $request = ConvertTo-OcsCertificateRequest -Record $Result.request
            $message = "Request $($request.Id): $($request.LastError) It is kept; remove it with Remove-OcsCertificateRequest, or submit it again."
            $Cmdlet.WriteError([System.Management.Automation.ErrorRecord]::new([System.Exception]::new($message), $request.LastErrorReason, 'PermissionDenied', $request))
        }
        'Failed' {
            $message = "Request $($Result.id): $($Result.message)"
            $Cmdlet.WriteError([System.Management.Automation.ErrorRecord]::new([System.Exception]::new($message), $Result.reason, 'ConnectionError', $Result.id))
        }
        'NotDue' {
            $Cmdlet.WriteVerbose("Request $($Result.id) is not due: the CA is asked again from $(([datetime] $Result.nextPoll).ToUniversalTime().ToString('u')).")
        }
    }
}
