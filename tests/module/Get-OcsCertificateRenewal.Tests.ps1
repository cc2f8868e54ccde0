# Showing the registered renewal job: nothing when none, the registration with its
# files, the last run from the renewal run's status.json, missing files, the view.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force; Import-OcsTestModule
}

Describe 'Get-OcsCertificateRenewal' {
    BeforeEach {
        $store = New-OcsTestStore
        $folder = Join-Path ([System.IO.Path]::GetTempPath()) ("ocscert-sched-" + [guid]::NewGuid().ToString('n'))
        $null = New-Item -ItemType Directory $folder
    }
    AfterEach {
        Remove-Item -LiteralPath $store, $folder -Recurse -Force -ErrorAction SilentlyContinue
        $env:OCSCERT_STORE = $null
    }

    It 'returns nothing when no job is registered, and says so with -Verbose' {
        Get-OcsCertificateRenewal -StorePath $store -WarningAction SilentlyContinue | Should -BeNullOrEmpty
        $verbose = Get-OcsCertificateRenewal -StorePath $store -Verbose -WarningAction SilentlyContinue 4>&1
        "$verbose" | Should -BeExactly "No renewal job is registered for the store '$store'."
        Test-Path -LiteralPath $store | Should -BeFalse -Because 'looking changes nothing'
    }

    It 'warns that a store that does not exist holds no renewal job (a mistyped -StorePath), and only then' {
        $r = Get-OcsCertificateRenewal -StorePath $store -WarningVariable warnings -WarningAction SilentlyContinue
        $r | Should -BeNullOrEmpty
        @($warnings) | Should -HaveCount 1
        "$($warnings[0])" | Should -BeExactly "The store '$store' does not exist; it holds no renewal job."
        $null = New-Item -ItemType Directory $store
        Get-OcsCertificateRenewal -StorePath $store -WarningVariable warnings -WarningAction SilentlyContinue | Should -BeNullOrEmpty
        @($warnings) | Should -HaveCount 0
    }

    It 'refuses a file given as the store (StoreNotAFolder, StorePath)' {
        $file = Join-Path $folder 'store.pem'
        Set-Content -LiteralPath $file -Value 'not a store'
        $err = { Get-OcsCertificateRenewal -StorePath $file } | Should -Throw -ErrorId 'StoreNotAFolder,Get-OcsCertificateRenewal' -PassThru
        $err.Exception.Message | Should -BeExactly "StorePath: The store path '$file' is a file, not a folder; give a folder for the store (it is made when first needed)."
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'shows the registration, with an empty last run before the first one' {
        $registered = Register-OcsCertificateRenewal -Scheduler Systemd -Folder $folder -StorePath $store
        $r = Get-OcsCertificateRenewal  # the store from $env:OCSCERT_STORE
        $r.PSObject.TypeNames[0] | Should -BeExactly 'OcsCertificate.RenewalRegistration'
        foreach ($property in 'Name', 'Scheduler', 'Schedule', 'StorePath', 'Folder', 'Activated', 'Registered') {
            $r.$property | Should -Be $registered.$property -Because $property
        }
        $r.Files | Should -Be $registered.Files
        $r.Command | Should -Be $registered.Command
        $r.MissingFiles | Should -BeNullOrEmpty
        $r.LastRunStarted | Should -BeNullOrEmpty
        $r.LastRunFinished | Should -BeNullOrEmpty
        $r.LastResult | Should -BeNullOrEmpty
        $r.LastRenewed | Should -BeNullOrEmpty
        ($r | Out-String -Width 200) | Should -Match "(?m)^Systemd\s+$($r.Name)\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+never\s*$"
    }

    It 'shows the last run and result that the renewal run recorded' {
        $null = Register-OcsCertificateRenewal -Scheduler Cron -Folder $folder -StorePath $store
        Set-Content -LiteralPath (Join-Path $store 'renewal/status.json') -Value (@{
                started = '2026-11-25T12:03:11.250Z'; finished = '2026-11-25T12:04:02.000Z'; result = 'Failed'; renewed = 1; failed = 2
            } | ConvertTo-Json)
        $r = Get-OcsCertificateRenewal -StorePath $store
        $r.LastRunStarted | Should -Be ([datetime]::new(2026, 11, 25, 12, 3, 11, 250, [System.DateTimeKind]::Utc))
        $r.LastRunFinished | Should -Be ([datetime]::new(2026, 11, 25, 12, 4, 2, [System.DateTimeKind]::Utc))
        $r.LastResult | Should -BeExactly 'Failed'
        $r.LastRenewed | Should -Be 1
        $r.LastFailed | Should -Be 2
        ($r | Out-String -Width 200) | Should -Match '(?m)^Cron\s+ocscert-renew-\w+\s+\S+ \S+\s+2026-11-25 12:04\s+Failed\s*$'
    }

    It 'names a registered file that someone removed, with a warning' {
        $registered = Register-OcsCertificateRenewal -Scheduler Systemd -Folder $folder -StorePath $store
        Remove-Item -LiteralPath $registered.Files[1]
        $r = Get-OcsCertificateRenewal -StorePath $store -WarningVariable warnings -WarningAction SilentlyContinue
        $r.MissingFiles | Should -Be @($registered.Files[1])
        "$warnings" | Should -BeLike "*'$($registered.Files[1])' of the renewal job $($r.Name) is gone; run Register-OcsCertificateRenewal again*"
    }

    It 'survives serialisation (remoting) with its type name and view' {
        $null = Register-OcsCertificateRenewal -Scheduler Cron -Folder $folder -StorePath $store
        $r = Get-OcsCertificateRenewal -StorePath $store
        $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($r))
        $copy.PSObject.TypeNames[0] | Should -BeExactly 'Deserialized.OcsCertificate.RenewalRegistration'
        foreach ($property in 'Name', 'Scheduler', 'StorePath', 'Registered', 'LogPath') { $copy.$property | Should -Be $r.$property }
        @($copy.Files) | Should -Be @($r.Files)
        ($copy | Out-String -Width 200) | Should -BeLike '*Scheduler*Name*Registered (UTC)*Last run (UTC)*Result*'
        # and it pipes back by its StorePath
        ($copy | Get-OcsCertificateRenewal).Name | Should -BeExactly $r.Name
    }
}
