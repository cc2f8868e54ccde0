# Runs one native operation and returns its JSON answer as objects.
#
# The call runs on a worker thread while this thread relays progress to
# Write-Progress; if the pipeline is stopped (Ctrl+C), the finally block asks the
# native side to cancel and waits for it, so nothing is left half-written.
# Native failures become ErrorRecords (terminating unless -NonTerminating) whose
# ErrorId is the stable reason token and whose message starts with the parameter at fault.
function Invoke-OcsNative {
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)] [string] $Operation,
        [Parameter(Mandatory)] [System.Collections.IDictionary] $Arguments,
        [string] $StorePath,
        # Report a native failure for this pipeline item only (WriteError) and go on.
        [switch] $NonTerminating
    )
    # The cmdlet's explicit -StorePath '' (a variable that was never set, most likely), passed on here,
    # must not quietly become $env:OCSCERT_STORE or the default store. With pipeline input an empty
    # StorePath property keeps meaning the default store, as it always has: there the two cannot be told apart.
    if ($PSBoundParameters.ContainsKey('StorePath') -and -not $StorePath -and
        $Cmdlet.MyInvocation.BoundParameters.ContainsKey('StorePath') -and -not $Cmdlet.MyInvocation.ExpectingInput) {
        $empty = [System.ArgumentException]::new('StorePath: give a folder, or leave the parameter out to use $env:OCSCERT_STORE or the default store.')
        $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new($empty, 'EmptyStorePath', 'InvalidArgument', $StorePath))
    }
    # JsonBridge, not ConvertTo-Json/ConvertFrom-Json: the same shapes without loading Newtonsoft.Json,
    # whose compilation was a fresh process's largest single cost after the import.
    $json = [OcsCertificate.Interop.JsonBridge]::ToJson($Arguments)
    # .NET keeps $env: changes in managed memory on Unix, where the native getenv
    # would not see them; so the module reads the override and passes it on.
    # A relative -StorePath means what it does for any cmdlet: below the current location.
    if ($StorePath) { $StorePath = Resolve-OcsPath $Cmdlet $StorePath 'StorePath' }
    else { $StorePath = $env:OCSCERT_STORE }
    # A store the library refuses is then named as what the admin set, not as a -StorePath never given.
    $storeFrom = if ($StorePath -and -not $Cmdlet.MyInvocation.BoundParameters['StorePath'] -and $StorePath -eq $env:OCSCERT_STORE) { '$env:OCSCERT_STORE' }
    $session = $null
    $task = $null
    $shown = $false
    try {
        try { $session = [OcsCertificate.Interop.NativeSession]::new($(if ($StorePath) { $StorePath } else { $null })) }
        catch [System.Management.Automation.MethodInvocationException] {
            # The store path refused (e.g. a relative $env:OCSCERT_STORE): the library's own error, not "Exception calling .ctor".
            if ($_.Exception.InnerException -isnot [OcsCertificate.Interop.OcsCertException]) { throw }
            $record = New-OcsErrorRecord -Exception $_.Exception.InnerException -BoundParameters $Cmdlet.MyInvocation.BoundParameters -Command $Cmdlet.MyInvocation.MyCommand -StoreFrom $storeFrom
            if ($NonTerminating) { $Cmdlet.WriteError($record); return }
            $Cmdlet.ThrowTerminatingError($record)
        }
        $task = $session.Start($Operation, $json)
        $progress = $null
        while ($true) {
            # WaitOne, not Task.Wait: a failed task must not raise here, or PowerShell
            # would record the failure twice (once as a method exception).
            $done = $task.AsyncWaitHandle.WaitOne(100)
            while ($session.TryDequeueProgress([ref] $progress)) {
                $p = [OcsCertificate.Interop.JsonBridge]::FromJson($progress)
                $record = [System.Management.Automation.ProgressRecord]::new(1, $p.activity, $p.status)
                $record.PercentComplete = $p.percent
                $Cmdlet.WriteProgress($record)
                $shown = $true
            }
            if ($done) { break }
        }
        if (-not $task.IsFaulted) { return [OcsCertificate.Interop.JsonBridge]::FromJson($task.Result) }
        $native = $task.Exception.InnerException
        if ($native -isnot [OcsCertificate.Interop.OcsCertException]) { throw $native }
        $record = New-OcsErrorRecord -Exception $native -BoundParameters $Cmdlet.MyInvocation.BoundParameters -Command $Cmdlet.MyInvocation.MyCommand -StoreFrom $storeFrom
        if ($NonTerminating) { $Cmdlet.WriteError($record) } else { $Cmdlet.ThrowTerminatingError($record) }
    }
    finally {
        if ($task -and -not $task.IsCompleted) {
            $session.Cancel()
            $null = $task.AsyncWaitHandle.WaitOne()  # it ends with OCSCERT_E_CANCELLED, having written nothing
        }
        if ($session) { $session.Dispose() }
        if ($shown) {
            $record = [System.Management.Automation.ProgressRecord]::new(1, 'OcsCertificate', 'Done')
            $record.RecordType = 'Completed'
            $Cmdlet.WriteProgress($record)
        }
    }
}

function New-OcsErrorRecord {
    param(
        [Parameter(Mandatory)] [OcsCertificate.Interop.OcsCertException] $Exception,
        [System.Collections.IDictionary] $BoundParameters = @{},
        [System.Management.Automation.CommandInfo] $Command,
        # Where the store path came from when not from -StorePath ('$env:OCSCERT_STORE'): a storePath error names it.
        [string] $StoreFrom
    )
    $category = switch ($Exception.Code) {
        -1 { 'InvalidArgument' }
        -2 { 'ObjectNotFound' }
        -3 { 'ResourceExists' }
        -4 { 'OperationStopped' }
        -5 { 'WriteError' }
        -6 { 'SecurityError' }
        -7 { 'NotImplemented' }
        -8 { 'ResourceBusy' }
        -9 { 'ConnectionError' }
        default { 'NotSpecified' }
    }
    # The native code for "in use" is the one for "exists already"; for PowerShell it is an operation
    # the certificate's state does not allow.
    if ($Exception.Reason -eq 'CertificateInUse') { $category = 'InvalidOperation' }
    # "Not supported" natively; for PowerShell the key's own policy forbids it.
    if ($Exception.Reason -eq 'KeyNotExportable') { $category = 'PermissionDenied' }
    # The native field is the parameter's name in camelCase, maybe with an index: sipDomain[1].
    $message = $Exception.Message
    $target = $null
    if ($Exception.Field) {
        $parameter = $Exception.Field.Substring(0, 1).ToUpperInvariant() + $Exception.Field.Substring(1)
        # The parameter as the command spells it (-CA, not Ca).
        $bare = $parameter -replace '\[\d+\]$'
        if ($Command -and $Command.Parameters.ContainsKey($bare)) {
            $parameter = $Command.Parameters[$bare].Name + $parameter.Substring($bare.Length)
        }
        $name = $parameter -replace '\[\d+\]$'
        if ($BoundParameters.ContainsKey($name)) { $target = $BoundParameters[$name] }
        if ($name -eq 'StorePath' -and $StoreFrom) { $parameter = $StoreFrom; $target = $env:OCSCERT_STORE }
        $message = "${parameter}: $message"
    }
    # The target is kept with the error ($Error, Get-Error, transcripts): never a secret, and an address
    # with a user name and password in it (refused by the library) loses them as the message does.
    if ($target -is [securestring] -or $target -is [pscredential]) { $target = $null }
    elseif ($target -is [string]) { $target = $target -replace '(?<=://)[^/?#]*@', '...@' }
    $wrapped = [System.Exception]::new($message, $Exception)
    [System.Management.Automation.ErrorRecord]::new($wrapped, $Exception.Reason, $category, $target)
}

# Runs a native list operation with the filters that were given (empty ones left
# out), writes its warnings and returns the records in its answer's `Property`.
function Invoke-OcsList {
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)] [string] $Operation,
        [Parameter(Mandatory)] [System.Collections.IDictionary] $Filter,
        [Parameter(Mandatory)] [string] $Property,
        [string] $StorePath
    )
    $given = [ordered]@{}
    foreach ($key in $Filter.Keys) { if ($Filter[$key]) { $given[$key] = $Filter[$key] } }
    $answer = Invoke-OcsNative -Cmdlet $Cmdlet -Operation $Operation -Arguments $given -StorePath $StorePath
    # A store that does not exist, or an entry of it that cannot be read, must not pass for "nothing there".
    foreach ($warning in $answer.warnings) { $Cmdlet.WriteWarning($warning) }
    $answer.$Property
}

# Runs on a pool member (called through the module's scope from a pool command's session, so it is
# loaded with the module, not with the pool commands' helpers): one native operation that has no
# cmdlet of its own (the standing listener, the mutual-TLS responder).
function Invoke-OcsMemberOperation {
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Operation, [Parameter(Mandatory)] [System.Collections.IDictionary] $Arguments)
    Invoke-OcsNative -Cmdlet $PSCmdlet -Operation $Operation -Arguments $Arguments
}
