# The packaged module (./build.ps1 package): one folder for Linux and Windows,
# and a .nupkg that an admin installs from a repository. Run by ./build.ps1 test
# after the package is made; $env:OCSCERT_PACKAGE_DIR names it (default build/package).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../module/TestHelpers.psm1') -Force
    $repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $packageDir = if ($env:OCSCERT_PACKAGE_DIR) { $env:OCSCERT_PACKAGE_DIR } else { Join-Path $repo 'build/package' }
    $module = Join-Path $packageDir 'OcsCertificate'
    $version = (Import-PowerShellDataFile (Join-Path $repo 'module/OcsCertificate/OcsCertificate.psd1')).ModuleVersion
    $nupkg = Join-Path $packageDir "OcsCertificate.$version.nupkg"
    $binaries = @('bin/OcsCertificate.Interop.dll', 'bin/linux-x64/libocscert.so', 'bin/win-x64/ocscert.dll',
                  'bin/linux-x64/OcsCertificate.Interop.dll', 'bin/win-x64/OcsCertificate.Interop.dll')
    # What this system loads (the test run is on Linux; the same checks hold on Windows).
    $thisLibrary = if ($IsWindows) { 'bin/win-x64/ocscert.dll' } else { 'bin/linux-x64/libocscert.so' }
    $otherLibrary = if ($IsWindows) { 'bin/linux-x64/libocscert.so' } else { 'bin/win-x64/ocscert.dll' }

    # The machine type of a PE file (0x8664 for x64) and whether it is a DLL; $null if it is no PE file.
    function Get-PeHeader([string] $Path) {
        $bytes = [System.IO.File]::ReadAllBytes($Path)
        if ($bytes.Length -lt 64 -or $bytes[0] -ne 0x4D -or $bytes[1] -ne 0x5A) { return $null }
        $pe = [BitConverter]::ToInt32($bytes, 0x3C)
        if ([BitConverter]::ToUInt32($bytes, $pe) -ne 0x4550) { return $null }  # "PE\0\0"
        [pscustomobject]@{
            Machine = [BitConverter]::ToUInt16($bytes, $pe + 4)
            IsDll   = ([BitConverter]::ToUInt16($bytes, $pe + 22) -band 0x2000) -ne 0
        }
    }

    # Runs $Command in a child pwsh whose home folder is $Folder, so the repositories
    # and modules it registers and installs go there; its output lines. $LASTEXITCODE
    # is the child's. (The XDG_* variables are cleared: pwsh would take its user module
    # folder from XDG_DATA_HOME while PSResourceGet installs under HOME regardless.)
    function Invoke-IsolatedPwsh([string] $Folder, [string] $Command) {
        $saved = @{}
        foreach ($name in 'HOME', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'PSModulePath', 'OCSCERT_NATIVE_LIBRARY') {
            $saved[$name] = [Environment]::GetEnvironmentVariable($name)
            [Environment]::SetEnvironmentVariable($name, $null)
        }
        try {
            $env:HOME = $Folder
            Invoke-OcsTestPwsh -Command "`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'; $Command"
        } finally {
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
    }

    # Where a CurrentUser install puts the module under the home folder $Folder.
    function Get-UserModuleFolder([string] $Folder) {
        if ($IsWindows) { Join-Path $Folder "Documents/PowerShell/Modules/OcsCertificate/$version" }
        else { Join-Path $Folder ".local/share/powershell/Modules/OcsCertificate/$version" }
    }

    # The versions Get-OcsCertificateVersion reports in the child, from its JSON line.
    function Get-ReportedVersion([string[]] $Lines) {
        $json = $Lines | Where-Object { $_ -like '{*' } | Select-Object -Last 1
        if (-not $json) { throw "The child printed no version:`n$($Lines -join "`n")" }
        $json | ConvertFrom-Json
    }
}

Describe 'The module folder' {
    It 'holds the interop assemblies and both native libraries, and no other binaries' {
        foreach ($file in $binaries) { Join-Path $module $file | Should -Exist }
        $found = Get-ChildItem -Recurse -File (Join-Path $module 'bin') | ForEach-Object { [System.IO.Path]::GetRelativePath($module, $_.FullName) -replace '\\', '/' }
        # Beside them, the build's merge of the module's functions (one file imports faster than 29).
        $found | Sort-Object | Should -Be (@($binaries) + 'bin/OcsCertificate.Functions.ps1' | Sort-Object)
    }

    It 'imports its functions from the merged script' {
        $file = Invoke-OcsTestPwsh -Command "Import-Module '$($module -replace "'", "''")'; (Get-Command New-OcsCertificateRequest).ScriptBlock.File"
        $file | Should -BeLike '*OcsCertificate.Functions.ps1'
    }

    # ReadyToRun images are per OS: the runtime refuses one made for another system, hence a copy each.
    It 'holds the interop precompiled for each system, and the portable one' {
        $expected = @{ 'bin/linux-x64/OcsCertificate.Interop.dll' = 0xFD1D; 'bin/win-x64/OcsCertificate.Interop.dll' = 0x8664 }  # x64 (Linux: XOR 0x7B79)
        foreach ($file in $expected.Keys) {
            $reader = [System.Reflection.PortableExecutable.PEReader]::new([System.IO.File]::OpenRead((Join-Path $module $file)))
            try {
                $reader.PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size | Should -BeGreaterThan 0 -Because "$file is ReadyToRun code"
                [int] $reader.PEHeaders.CoffHeader.Machine | Should -Be $expected[$file] -Because "$file is for that system"
            } finally { $reader.Dispose() }
        }
        $reader = [System.Reflection.PortableExecutable.PEReader]::new([System.IO.File]::OpenRead((Join-Path $module 'bin/OcsCertificate.Interop.dll')))
        try { $reader.PEHeaders.CorHeader.Flags | Should -Be 'ILOnly' } finally { $reader.Dispose() }
    }

    It 'holds the Windows library as a 64-bit Windows DLL' {
        $header = Get-PeHeader (Join-Path $module 'bin/win-x64/ocscert.dll')
        $header | Should -Not -BeNullOrEmpty -Because 'ocscert.dll is a PE file'
        $header.Machine | Should -Be 0x8664
        $header.IsDll | Should -BeTrue
    }

    It 'imports on this system and loads the library for its platform and architecture from bin' {
        $lines = Invoke-IsolatedPwsh -Folder (Join-Path $TestDrive 'folder') -Command (
            "Import-Module '$($module -replace "'", "''")/OcsCertificate.psd1'; Get-OcsCertificateVersion | Select-Object ModuleVersion, NativeVersion, Platform, NativeLibraryPath | ConvertTo-Json -Compress")
        $LASTEXITCODE | Should -Be 0 -Because ($lines -join "`n")
        $reported = Get-ReportedVersion $lines
        $reported.Platform | Should -Be ($thisLibrary -split '/')[1]
        $reported.NativeVersion | Should -Be $version
        $reported.NativeLibraryPath | Should -Be (Join-Path $module $thisLibrary)
    }

    It 'names the system and what it carries when it has no library for this system' {
        $copy = Join-Path $TestDrive 'partial/OcsCertificate'
        $null = New-Item -ItemType Directory -Force (Split-Path $copy)
        Copy-Item -Recurse $module $copy
        Remove-Item -Recurse (Join-Path $copy (Split-Path $thisLibrary))
        $lines = Invoke-IsolatedPwsh -Folder (Join-Path $TestDrive 'partial-home') -Command (
            "Import-Module '$($copy -replace "'", "''")/OcsCertificate.psd1'; Get-OcsCertificateVersion")
        $LASTEXITCODE | Should -Not -Be 0
        $text = $lines -join "`n"
        $text | Should -BeLike "*no native library for this system ($(($thisLibrary -split '/')[1]))*"
        $text | Should -BeLike "*carries: $(($otherLibrary -split '/')[1])*"
    }
}

Describe 'The .nupkg' {
    BeforeAll {
        # A repository is a folder of .nupkg files: what an admin copies the package into.
        $repository = Join-Path $TestDrive 'repository'
        $null = New-Item -ItemType Directory $repository
        Copy-Item $nupkg $repository
        $quotedRepository = $repository -replace "'", "''"

        # Installs the package for the current user with $Commands (one installer's register and
        # install) in a child pwsh whose home is $TestDrive/$Folder, imports it there, and checks
        # that it runs the library for this system from the user module folder, both libraries installed.
        function Install-FromRepository([string] $Folder, [string] $Commands) {
            $userHome = Join-Path $TestDrive $Folder
            $lines = Invoke-IsolatedPwsh -Folder $userHome -Command (
                "$Commands; " +
                "Import-Module OcsCertificate; Get-OcsCertificateVersion | Select-Object ModuleVersion, NativeVersion, Platform, NativeLibraryPath | ConvertTo-Json -Compress")
            $LASTEXITCODE | Should -Be 0 -Because ($lines -join "`n")
            $reported = Get-ReportedVersion $lines
            $installed = Get-UserModuleFolder $userHome
            $reported.NativeLibraryPath | Should -Be (Join-Path $installed $thisLibrary)
            $reported.NativeVersion | Should -Be $version
            Join-Path $installed $otherLibrary | Should -Exist
        }
    }

    It 'carries the manifest and every binary' {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead($nupkg)
        try { $entries = $zip.Entries.FullName -replace '\\', '/' } finally { $zip.Dispose() }
        $entries | Should -Contain 'OcsCertificate.psd1'
        $entries | Should -Contain 'OcsCertificate.nuspec'
        foreach ($file in $binaries) { $entries | Should -Contain $file }
    }

    It 'installs from a local repository with Install-PSResource, imports and runs' {
        Install-FromRepository -Folder 'psresourceget' -Commands (
            "Register-PSResourceRepository -Name OcsCertLocal -Uri '$quotedRepository' -Trusted; " +
            "Install-PSResource -Name OcsCertificate -Repository OcsCertLocal -Scope CurrentUser")
    }

    It 'installs from a local repository with Install-Module (PowerShellGet 2), imports and runs' {
        Install-FromRepository -Folder 'powershellget' -Commands (
            "Register-PSRepository -Name OcsCertLocal -SourceLocation '$quotedRepository' -InstallationPolicy Trusted; " +
            "Install-Module -Name OcsCertificate -Repository OcsCertLocal -Scope CurrentUser")
    }
}
