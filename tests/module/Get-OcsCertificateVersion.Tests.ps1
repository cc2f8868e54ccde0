# The versions a pool member runs -- this module's and the native library's -- and which library file that is.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force; Import-OcsTestModule
    $repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $psd1 = Join-Path $repo 'module/OcsCertificate/OcsCertificate.psd1'
    # The native library's version is the CMake project's.
    $projectVersion = [regex]::Match((Get-Content -Raw (Join-Path $repo 'CMakeLists.txt')), '(?s)project\(ocscert\s+VERSION\s+([0-9.]+)').Groups[1].Value
    $libraryFile = if ($IsWindows) { 'ocscert.dll' } elseif ($IsMacOS) { 'libocscert.dylib' } else { 'libocscert.so' }
    $quotedPsd1 = $psd1 -replace "'", "''"
}

Describe 'Get-OcsCertificateVersion' {
    BeforeEach {
        $store = New-OcsTestStore
    }
    AfterEach {
        Remove-Item -LiteralPath $store -Recurse -Force -ErrorAction SilentlyContinue
        $env:OCSCERT_STORE = $null
    }

    It 'returns one OcsCertificate.Version: module and native versions, library path, platform, PowerShell' {
        $versions = @(Get-OcsCertificateVersion)
        $versions | Should -HaveCount 1
        $version = $versions[0]
        $version.PSObject.TypeNames[0] | Should -BeExactly 'OcsCertificate.Version'
        $version.ModuleVersion | Should -BeOfType [version]
        $version.ModuleVersion | Should -Be ([version] (Import-PowerShellDataFile $psd1).ModuleVersion)
        $projectVersion | Should -Not -BeNullOrEmpty
        $version.NativeVersion | Should -BeExactly $projectVersion
        $version.Platform | Should -Match '^(win|osx|linux)-(x64|x86|arm64|arm)$'
        $version.NativeLibraryPath | Should -Be (Join-Path $repo "module/OcsCertificate/bin/$($version.Platform)/$libraryFile")
        $version.NativeLibraryPath | Should -Exist
        $version.PSVersion | Should -BeExactly $PSVersionTable.PSVersion.ToString()
    }

    It 'reads and writes nothing in the store' {
        $null = Get-OcsCertificateVersion
        $store | Should -Not -Exist
    }

    It 'shows the versions with its view' {
        $text = Get-OcsCertificateVersion | Out-String -Width 200
        $text | Should -Match '(?m)^ModuleVersion\s+NativeVersion\s+Platform\s+PSVersion\s+NativeLibraryPath\s*$'
        $text | Should -BeLike "*$projectVersion*$libraryFile*"
    }

    It 'survives remoting serialisation as Deserialized.OcsCertificate.Version, every property comparable' {
        $version = Get-OcsCertificateVersion
        $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($version))
        $copy.PSObject.TypeNames[0] | Should -BeExactly 'Deserialized.OcsCertificate.Version'
        foreach ($property in 'ModuleVersion', 'NativeVersion', 'NativeLibraryPath', 'Platform', 'PSVersion') {
            $copy.$property | Should -Be $version.$property -Because "$property survives serialisation"
        }
        $copy.ModuleVersion | Should -BeOfType [version]
        ($copy | Out-String -Width 200) | Should -BeLike '*NativeVersion*'
    }

    It 'reports the library $env:OCSCERT_NATIVE_LIBRARY names, and the operations run from that same file' {
        $folder = Join-Path ([System.IO.Path]::GetTempPath()) ("ocscert-lib-" + [guid]::NewGuid().ToString('n'))
        $null = New-Item -ItemType Directory $folder
        try {
            $copy = Join-Path $folder $libraryFile
            Copy-Item -LiteralPath (Get-OcsCertificateVersion).NativeLibraryPath -Destination $copy
            $command = "`$ErrorActionPreference = 'Stop'; `$env:OCSCERT_NATIVE_LIBRARY = '$($copy -replace "'", "''")'; Import-Module '$quotedPsd1'; " +
                "'PATH=' + (Get-OcsCertificateVersion).NativeLibraryPath; " +
                "'NAME=' + (Resolve-OcsCertificateName -PoolFqdn pool01.contoso.com).Name; " +
                "if (`$IsLinux) { Get-Content /proc/`$PID/maps | Where-Object { `$_ -like '*ocscert*' } | ForEach-Object { 'MAPPED=' + (`$_ -split '\s+')[-1] } | Sort-Object -Unique }"
            $output = @(Invoke-OcsTestPwsh -Command $command)
            $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
            $output | Should -Contain "PATH=$copy"
            $output | Should -Contain 'NAME=pool01.contoso.com'
            if ($IsLinux) {
                # One library loaded, the one named: the fixed imports and the operations share its handle.
                @($output | Where-Object { $_ -like 'MAPPED=*' -and $_ -like "*$libraryFile*" }) | Should -Be @("MAPPED=$copy")
            }
        }
        finally {
            Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue
        }
    }

    It 'fails with NativeLibraryNotLoaded, naming the file, when the library cannot be loaded' {
        $missing = Join-Path ([System.IO.Path]::GetTempPath()) ("ocscert-missing-" + [guid]::NewGuid().ToString('n')) $libraryFile
        $command = "`$env:OCSCERT_NATIVE_LIBRARY = '$($missing -replace "'", "''")'; Import-Module '$quotedPsd1' -ErrorAction Stop; " +
            "try { Get-OcsCertificateVersion; 'NO ERROR' } catch { 'ID=' + `$_.FullyQualifiedErrorId; 'CATEGORY=' + `$_.CategoryInfo.Category; 'MESSAGE=' + `$_.Exception.Message }"
        $output = @(Invoke-OcsTestPwsh -Command $command)
        $output | Should -Not -Contain 'NO ERROR'
        $output | Should -Contain 'ID=NativeLibraryNotLoaded,Get-OcsCertificateVersion'
        $output | Should -Contain 'CATEGORY=ResourceUnavailable'
        ($output | Where-Object { $_ -like 'MESSAGE=*' }) | Should -BeLike "*'$missing'*"
    }
}
