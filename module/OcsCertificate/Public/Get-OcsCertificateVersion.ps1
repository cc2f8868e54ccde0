function Get-OcsCertificateVersion {
    <#
    .SYNOPSIS
    Shows the versions of this module and of the native library it runs, and where that library is.

    .DESCRIPTION
    Every member of a pool should run the same build: run this on each server and compare.
    ModuleVersion is the PowerShell module's version; NativeVersion is what the loaded native
    library reports (ocscert_version), so a module copied next to a library of another build
    shows it; NativeLibraryPath is the library's file ($env:OCSCERT_NATIVE_LIBRARY if set,
    else bin/<Platform>/ in the module folder); Platform is the .NET runtime identifier of
    this process (e.g. linux-x64, win-x64); PSVersion is the PowerShell running the module.
    ModuleVersion is a [version]; the others are text, so they compare the same after
    remoting.
    Reads nothing from the store and changes nothing. Fails with NativeLibraryNotLoaded
    when the native library cannot be loaded.

    .EXAMPLE
    Get-OcsCertificateVersion

    The versions on this server.

    .EXAMPLE
    Invoke-Command -ComputerName fe01, fe02 { Get-OcsCertificateVersion } | Format-Table PSComputerName, ModuleVersion, NativeVersion, Platform

    Compares the pool members: every row should show the same versions.

    .INPUTS
    None.

    .OUTPUTS
    OcsCertificate.Version

    .LINK
    Request-OcsPoolCertificate
    #>
    [CmdletBinding()]
    [OutputType('OcsCertificate.Version')]
    param()
    $path = [OcsCertificate.Interop.NativeSession]::LibraryPath
    try {
        $native = [OcsCertificate.Interop.NativeSession]::Version
    }
    catch {
        # PowerShell wraps what the property getter threw; the innermost exception says why.
        $cause = $_.Exception
        while ($cause.InnerException) { $cause = $cause.InnerException }
        $exception = [System.IO.FileLoadException]::new("The native library '$path' could not be loaded: $($cause.Message)", $cause)
        $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new($exception, 'NativeLibraryNotLoaded', 'ResourceUnavailable', $path))
    }
    [pscustomobject]@{
        PSTypeName        = 'OcsCertificate.Version'
        ModuleVersion     = $MyInvocation.MyCommand.Module.Version
        NativeVersion     = $native
        NativeLibraryPath = $path
        Platform          = [OcsCertificate.Interop.NativeSession]::RuntimeIdentifier
        # As text: a SemanticVersion comes back from a remote session as a property bag.
        PSVersion         = $PSVersionTable.PSVersion.ToString()
    }
}
