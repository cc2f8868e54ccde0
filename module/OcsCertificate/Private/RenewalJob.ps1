# The scheduled renewal job's command line: this pwsh and this module, both by
# full path, and the store, so the job depends on no profile, PATH or
# PSModulePath of the account the scheduler runs it as. The scheduler files
# themselves (and their quoting) are written by the native library.

# The pwsh that runs now, as a program and the arguments that start it:
# $env:OCSCERT_PWSH when the build set it, else this process (which for the .NET
# tool package is dotnet, started with pwsh.dll).
function Get-OcsPwshCommand {
    if ($env:OCSCERT_PWSH) { return [System.IO.Path]::GetFullPath($env:OCSCERT_PWSH) }
    $process = [Environment]::ProcessPath
    $process
    if ([System.IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') {
        [System.IO.Path]::GetFullPath([Environment]::GetCommandLineArgs()[0])
    }
}

# The PowerShell the job runs. Agreed with Update-OcsCertificate: it writes one
# non-terminating error per failed renewal, so $? is false when something due
# failed, and the exit code says so; nothing due is success and silence.
function New-OcsRenewalJobScript {
    param(
        [Parameter(Mandatory)] [string] $ModulePath,
        [Parameter(Mandatory)] [string] $StorePath,
        [string] $DeployHook,
        [string] $FailureHook
    )
    # Single-quoted PowerShell strings: nothing in them is expanded ('' and the typographic quotes are escaped).
    $quote = { param($text) "'" + [System.Management.Automation.Language.CodeGeneration]::EscapeSingleQuotedStringContent($text) + "'" }
    $update = "Update-OcsCertificate -StorePath $(& $quote $StorePath)"
    if ($DeployHook) { $update += " -DeployHook $(& $quote $DeployHook)" }
    if ($FailureHook) { $update += " -FailureHook $(& $quote $FailureHook)" }
    "Import-Module $(& $quote $ModulePath); $update; exit [int](-not `$?)"
}

# Program and arguments of the whole job.
function New-OcsRenewalJobCommand {
    param(
        [Parameter(Mandatory)] [string] $StorePath,
        [string] $DeployHook,
        [string] $FailureHook
    )
    $module = Join-Path $MyInvocation.MyCommand.Module.ModuleBase 'OcsCertificate.psd1'
    $script = New-OcsRenewalJobScript -ModulePath $module -StorePath $StorePath -DeployHook $DeployHook -FailureHook $FailureHook
    [string[]] (@(Get-OcsPwshCommand) + @('-NoProfile', '-NonInteractive', '-Command', $script))
}

# The store the native library will use for this -StorePath (or its default), as a full path.
function Resolve-OcsRenewalStore {
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [string] $StorePath
    )
    if ($StorePath) { $StorePath = Resolve-OcsPath $Cmdlet $StorePath 'StorePath' }
    (Invoke-OcsNative -Cmdlet $Cmdlet -Operation renewal_registration -Arguments ([ordered]@{}) -StorePath $StorePath).storePath
}

# The scheduler files and programs a registration writes or runs, as lines for -WhatIf, -Confirm and -Verbose.
function Format-OcsRenewalPlan {
    param([Parameter(Mandatory)] $Plan, [switch] $WithTexts)
    $lines = [System.Collections.Generic.List[string]]::new()
    foreach ($text in $Plan.texts) {
        $lines.Add("--- $($text.path)")
        if ($WithTexts) { $lines.Add($text.text.TrimEnd("`n")) }
    }
    foreach ($command in $Plan.commands) { $lines.Add("--- runs: $(@($command) -join ' ')") }
    $lines -join "`n"
}
