# Tab completion: request ids and thumbprints from the store the command would use, and
# the country codes the library accepts. A completer must never fail or hang the prompt,
# so a store that cannot be read gives no suggestions.

# One native list operation, quietly: its answer, or nothing.
function Invoke-OcsCompletionQuery([string] $Operation, [System.Collections.IDictionary] $BoundParameters) {
    $storePath = $env:OCSCERT_STORE
    if ($BoundParameters -and $BoundParameters['StorePath']) {
        $storePath = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath([string] $BoundParameters['StorePath'])
    }
    $session = $null
    try {
        $session = [OcsCertificate.Interop.NativeSession]::new($(if ($storePath) { $storePath } else { $null }))
        $task = $session.Start($Operation, '{}')
        if (-not $task.AsyncWaitHandle.WaitOne(5000)) {
            $session.Cancel()
            $null = $task.AsyncWaitHandle.WaitOne()
            return
        }
        if (-not $task.IsFaulted) { [OcsCertificate.Interop.JsonBridge]::FromJson($task.Result) }
    }
    catch { }
    finally { if ($session) { $session.Dispose() } }
}

function New-OcsCompletion([string] $Text, [string] $ToolTip) {
    [System.Management.Automation.CompletionResult]::new($Text, $Text, 'ParameterValue', $ToolTip)
}

# Thumbprints, latest expiry first; the tooltip says what each certificate is.
$thumbprintCompleter = {
    param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
    $word = "$wordToComplete".Trim("'`"")
    $answer = Invoke-OcsCompletionQuery certificate_list $fakeBoundParameters
    foreach ($certificate in @($answer.certificates) | Sort-Object { $_.notAfter } -Descending) {
        if (-not $certificate -or -not $certificate.thumbprint.StartsWith($word, [System.StringComparison]::OrdinalIgnoreCase)) { continue }
        $roles = if ($certificate.roles) { " [$($certificate.roles -join ', ')]" } else { '' }
        New-OcsCompletion $certificate.thumbprint ("{0}, until {1:yyyy-MM-dd}{2}" -f $certificate.subject, (ConvertFrom-OcsTime $certificate.notAfter), $roles)
    }
}

# Request ids, newest first.
$requestIdCompleter = {
    param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
    $word = "$wordToComplete".Trim("'`"")
    $answer = Invoke-OcsCompletionQuery request_list $fakeBoundParameters
    foreach ($request in @($answer.requests) | Sort-Object { $_.created } -Descending) {
        if (-not $request -or -not $request.id.StartsWith($word, [System.StringComparison]::OrdinalIgnoreCase)) { continue }
        New-OcsCompletion $request.id ("{0}, {1}, made {2:yyyy-MM-dd HH:mm}" -f $request.commonName, $request.state, (ConvertFrom-OcsTime $request.created))
    }
}

# ISO 3166-1 codes as the library knows them; typing a name ("germ") finds its code too.
$countryCompleter = {
    param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
    $word = "$wordToComplete".Trim("'`"")
    if (-not $script:OcsCountries) { $script:OcsCountries = @((Invoke-OcsCompletionQuery country_list).countries) }
    $byName = @()
    foreach ($country in $script:OcsCountries) {
        if (-not $country) { continue }
        if ($country.code.StartsWith($word, [System.StringComparison]::OrdinalIgnoreCase)) { New-OcsCompletion $country.code $country.name }
        elseif ($word.Length -gt 2 -and $country.name.StartsWith($word, [System.StringComparison]::OrdinalIgnoreCase)) { $byName += $country }
    }
    foreach ($country in $byName) { New-OcsCompletion $country.code $country.name }
}

Register-ArgumentCompleter -ParameterName Thumbprint -ScriptBlock $thumbprintCompleter -CommandName @(
        'Get-OcsCertificate', 'Set-OcsCertificate', 'Test-OcsCertificate', 'Export-OcsCertificate', 'Remove-OcsCertificate', 'Update-OcsCertificate')
Register-ArgumentCompleter -ParameterName Id -ScriptBlock $requestIdCompleter -CommandName @('Get-OcsCertificateRequest', 'Remove-OcsCertificateRequest')
Register-ArgumentCompleter -ParameterName RequestId -ScriptBlock $requestIdCompleter -CommandName @('Receive-OcsCertificate', 'Submit-OcsCertificateRequest')
Register-ArgumentCompleter -ParameterName Country -ScriptBlock $countryCompleter -CommandName 'New-OcsCertificateRequest'
