# Typed output objects: plain data properties with a PSTypeName, so format views
# apply and they survive serialisation over remoting (as Deserialized.<type>).

# The library's times are ISO 8601 UTC; the JSON reader has usually made them
# DateTime already (a [string] parameter would format them in the local culture
# and drop the milliseconds), so both forms are taken. $null stays $null.
function ConvertFrom-OcsTime($Value) {
    if ($Value -is [datetime]) { return $Value.ToUniversalTime() }
    if (-not $Value) { return $null }
    [datetime]::Parse($Value, [cultureinfo]::InvariantCulture, [System.Globalization.DateTimeStyles] 'AdjustToUniversal,AssumeUniversal')
}

function ConvertTo-OcsCertificateName {
    param([Parameter(Mandatory)] $Name, [string] $PoolFqdn)
    [pscustomobject]@{
        PSTypeName = 'OcsCertificate.CertificateName'
        Name       = $Name.name
        Source     = $Name.source
        Reason     = $Name.reason
        PoolFqdn   = $PoolFqdn
    }
}

function ConvertTo-OcsCertificateRequest {
    param([Parameter(Mandatory)] $Record)
    [pscustomobject]@{
        PSTypeName           = 'OcsCertificate.CertificateRequest'
        Id                   = $Record.id
        State                = $Record.state
        FriendlyName         = $Record.friendlyName
        Subject              = $Record.subject
        CommonName           = $Record.commonName
        AlternativeNames     = [string[]] @($Record.names.name)
        Names                = @($Record.names | ForEach-Object { ConvertTo-OcsCertificateName -Name $_ -PoolFqdn $Record.commonName })
        Role                 = [string[]] @($Record.profile.role)
        KeyAlgorithm         = $Record.keyAlgorithm
        KeySize              = [int] $Record.keySize
        PrivateKeyExportable = [bool] $Record.privateKeyExportable
        PublicKeySha256      = $Record.publicKeySha256
        Created              = ConvertFrom-OcsTime $Record.created
        OutFile              = $Record.outFile
        CA                   = $Record.ca
        CaRequestId          = $Record.caRequestId
        NextPoll             = ConvertFrom-OcsTime $Record.nextPoll
        LastAttempt          = ConvertFrom-OcsTime $Record.lastAttempt
        LastError            = $Record.lastError.message
        LastErrorReason      = $Record.lastError.reason
        RequestPem           = $Record.requestPem
        Profile              = $Record.profile
        StorePath            = $Record.storePath
    }
}

function ConvertTo-OcsCertificate {
    param([Parameter(Mandatory)] $Record)
    [pscustomobject]@{
        PSTypeName           = 'OcsCertificate.Certificate'
        Thumbprint           = $Record.thumbprint
        Sha256Thumbprint     = $Record.sha256Thumbprint
        FriendlyName         = $Record.friendlyName
        Subject              = $Record.subject
        Issuer               = $Record.issuer
        SerialNumber         = $Record.serialNumber
        AlternativeNames     = [string[]] @($Record.dnsNames)
        EnhancedKeyUsage     = [string[]] @($Record.enhancedKeyUsage)
        NotBefore            = ConvertFrom-OcsTime $Record.notBefore
        NotAfter             = ConvertFrom-OcsTime $Record.notAfter
        KeyAlgorithm         = $Record.keyAlgorithm
        KeySize              = [int] $Record.keySize
        HasPrivateKey        = [bool] $Record.hasPrivateKey
        PrivateKeyExportable = [bool] $Record.privateKeyExportable
        Role                 = [string[]] @($Record.roles)
        RenewAfter           = ConvertFrom-OcsTime $Record.renewAfter
        CA                   = $Record.ca
        RenewalOf            = $Record.renewalOf
        RequestId            = $Record.requestId
        ChainLength          = [int] $Record.chainLength
        Installed            = ConvertFrom-OcsTime $Record.installed
        StorePath            = $Record.storePath
    }
}

function ConvertTo-OcsCertificateBinding {
    param([Parameter(Mandatory)] $Entry)
    $previous = $Entry.previous
    [pscustomobject]@{
        PSTypeName         = 'OcsCertificate.CertificateBinding'
        Role               = $Entry.role
        Thumbprint         = $Entry.thumbprint
        Subject            = $Entry.subject
        Issuer             = $Entry.issuer
        SerialNumber       = $Entry.serialNumber
        NotAfter           = ConvertFrom-OcsTime $Entry.notAfter
        Since              = ConvertFrom-OcsTime $Entry.since
        PreviousThumbprint = if ($previous) { $previous.thumbprint } else { $null }
        PreviousSince      = ConvertFrom-OcsTime $previous.since
        ScheduledThumbprint = if ($Entry.scheduled) { $Entry.scheduled.thumbprint } else { $null }
        ScheduledFrom       = ConvertFrom-OcsTime $Entry.scheduled.effective
        LivePath           = $Entry.livePath
        StorePath          = $Entry.storePath
    }
}

function ConvertTo-OcsRenewalResult {
    param([Parameter(Mandatory)] $Result, [string] $StorePath)
    [pscustomobject]@{
        PSTypeName    = 'OcsCertificate.RenewalResult'
        Thumbprint    = $Result.thumbprint
        Role          = [string[]] @($Result.roles)
        Outcome       = $Result.outcome
        NewThumbprint = $Result.newThumbprint
        RenewAfter    = ConvertFrom-OcsTime $Result.renewAfter
        Why           = $Result.why
        Message       = $Result.message
        Reason        = $Result.reason
        RequestId     = $Result.requestId
        StorePath     = $StorePath
    }
}

function ConvertTo-OcsCheckResult {
    param([Parameter(Mandatory)] $Check, [string] $Thumbprint, [string] $Target)
    [pscustomobject]@{
        PSTypeName = 'OcsCertificate.CheckResult'
        Check      = $Check.check
        Passed     = [bool] $Check.passed
        Detail     = $Check.detail
        Thumbprint = $Thumbprint
        Target     = $Target
    }
}

function ConvertTo-OcsRenewalRegistration {
    param([Parameter(Mandatory)] $Record)
    # The last run as the renewal run recorded it (<store>/renewal/status.json); empty before the first.
    $last = $Record.lastRun
    [pscustomobject]@{
        PSTypeName      = 'OcsCertificate.RenewalRegistration'
        Name            = $Record.name
        Scheduler       = $Record.scheduler
        Schedule        = $Record.schedule
        StorePath       = $Record.storePath
        Folder          = $Record.folder
        Files           = [string[]] @($Record.files)
        MissingFiles    = [string[]] @($Record.missingFiles)
        Activated       = [bool] $Record.activated
        TaskName        = $Record.taskName
        LogPath         = $Record.logPath
        Command         = [string[]] @($Record.command)
        Registered      = ConvertFrom-OcsTime $Record.registered
        LastRunStarted  = ConvertFrom-OcsTime $last.started
        LastRunFinished = ConvertFrom-OcsTime $last.finished
        LastResult      = $last.result
        LastRenewed     = if ($null -ne $last.renewed) { [int] $last.renewed } else { $null }
        LastFailed      = if ($null -ne $last.failed) { [int] $last.failed } else { $null }
    }
}
