# Maps bound cmdlet parameters to the native library's JSON input. The JSON keys
# are the parameter names in camelCase, so a native error names the parameter.
function ConvertTo-OcsArguments {
    param(
        [Parameter(Mandatory)] [System.Collections.IDictionary] $BoundParameters,
        [string[]] $Exclude = @()
    )
    $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
    $arguments = [ordered]@{}
    foreach ($entry in $BoundParameters.GetEnumerator()) {
        if ($entry.Key -in $common -or $entry.Key -in $Exclude) { continue }
        $key = $entry.Key.Substring(0, 1).ToLowerInvariant() + $entry.Key.Substring(1)
        $value = $entry.Value
        if ($value -is [switch]) { $value = $value.IsPresent }
        $arguments[$key] = $value
    }
    $arguments
}
