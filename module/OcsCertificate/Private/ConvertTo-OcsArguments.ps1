# Maps a cmdlet's parameters to the native library's JSON input. The JSON keys
# are the parameter names in camelCase, so a native error names the parameter.
#
# $PSBoundParameters alone is not enough in a process block: a parameter bound
# from one pipeline object stays in it for the next object, even though its
# variable was reset. So the command line's parameters come from the begin
# block's snapshot, and pipeline-bound ones from their current variable values.
function ConvertTo-OcsArguments {
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)] [System.Collections.IDictionary] $CommandLine,
        [string[]] $Exclude = @()
    )
    $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
    $arguments = [ordered]@{}
    foreach ($name in $Cmdlet.MyInvocation.BoundParameters.Keys) {
        if ($name -in $common -or $name -in $Exclude) { continue }
        if ($CommandLine.Contains($name)) {
            $value = $CommandLine[$name]
        }
        else {
            $value = Get-Variable -Name $name -Scope 1 -ValueOnly  # the calling function's variable
            # Absent from this pipeline object: the variable was reset to its default.
            if ($null -eq $value -or ($value -is [switch] -and -not $value.IsPresent) -or "$value" -eq '') { continue }
        }
        if ($value -is [switch]) { $value = $value.IsPresent }
        $arguments[$name.Substring(0, 1).ToLowerInvariant() + $name.Substring(1)] = $value
    }
    $arguments
}

# A path parameter as the native library takes it: in the file system, a relative one below the
# current location. A path on another provider (env:, HKLM:, Cert:) is refused naming the parameter,
# not handed on as the bare name that provider gives, which the library would call relative.
function Resolve-OcsPath {
    param([System.Management.Automation.PSCmdlet] $Cmdlet, [string] $Path, [string] $Parameter)
    $provider = $null
    $drive = $null
    $resolved = $Cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path, [ref] $provider, [ref] $drive)
    if ($provider.ImplementingType -ne [Microsoft.PowerShell.Commands.FileSystemProvider]) {
        $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
                [System.ArgumentException]::new("${Parameter}: '$Path' is on PowerShell's $($provider.Name) provider, not in the file system; give a file or folder path."),
                'NotAFileSystemPath', 'InvalidArgument', $Path))
    }
    $resolved
}

# ShouldProcess throws where it cannot ask (a -NonInteractive session asked to
# confirm); in a script function that would only end the statement and the
# action would go ahead, so the refusal is made terminating here.
function Test-OcsShouldProcess {
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)] [string] $Target,
        [Parameter(Mandatory)] [string] $Action,
        # More lines for -WhatIf and -Confirm to show (e.g. the files that would be written).
        [string] $Detail
    )
    try {
        if (-not $Detail) { return $Cmdlet.ShouldProcess($Target, $Action) }
        $Cmdlet.ShouldProcess("Performing the operation ""$Action"" on target ""$Target"".`n$Detail",
            "Are you sure you want to perform this action?`n$Action on ""$Target"".`n$Detail", 'Confirm')
    }
    catch {
        # A session that cannot prompt (pwsh -NonInteractive, a scheduled job) fails inside
        # ShouldProcess; say what to do instead of "Exception calling ShouldProcess".
        $inner = $_.Exception
        while ($inner.InnerException) { $inner = $inner.InnerException }
        if ($inner -is [System.Management.Automation.Host.HostException] -or $inner -is [System.Management.Automation.PSInvalidOperationException]) {
            $message = "$Action on $Target asks for confirmation, and this session cannot ask (it is not interactive). " +
                'Add -Confirm:$false to go ahead, or -WhatIf to see what would happen.'
            $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
                    [System.InvalidOperationException]::new($message, $inner), 'ConfirmationRequired', 'InvalidOperation', $Target))
        }
        $Cmdlet.ThrowTerminatingError($_)
    }
}
