# Typed output objects: plain data properties with a PSTypeName, so format views
# apply and they survive serialisation over remoting (as Deserialized.<type>).

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
        Created              = [datetime]::Parse($Record.created, [cultureinfo]::InvariantCulture, 'AdjustToUniversal,AssumeUniversal')
        OutFile              = $Record.outFile
        RequestPem           = $Record.requestPem
        Profile              = $Record.profile
        StorePath            = $Record.storePath
    }
}

function ConvertTo-OcsCertificate {
    param([Parameter(Mandatory)] $Record)
    $utc = [System.Globalization.DateTimeStyles] 'AdjustToUniversal,AssumeUniversal'
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
        NotBefore            = [datetime]::Parse($Record.notBefore, [cultureinfo]::InvariantCulture, $utc)
        NotAfter             = [datetime]::Parse($Record.notAfter, [cultureinfo]::InvariantCulture, $utc)
        KeyAlgorithm         = $Record.keyAlgorithm
        KeySize              = [int] $Record.keySize
        HasPrivateKey        = [bool] $Record.hasPrivateKey
        PrivateKeyExportable = [bool] $Record.privateKeyExportable
        Role                 = [string[]] @($Record.roles)
        RequestId            = $Record.requestId
        ChainLength          = [int] $Record.chainLength
        Installed            = [datetime]::Parse($Record.installed, [cultureinfo]::InvariantCulture, $utc)
        StorePath            = $Record.storePath
    }
}

function ConvertTo-OcsCertificateBinding {
    param([Parameter(Mandatory)] $Entry)
    $utc = [System.Globalization.DateTimeStyles] 'AdjustToUniversal,AssumeUniversal'
    $previous = $Entry.previous
    [pscustomobject]@{
        PSTypeName         = 'OcsCertificate.CertificateBinding'
        Role               = $Entry.role
        Thumbprint         = $Entry.thumbprint
        Subject            = $Entry.subject
        Issuer             = $Entry.issuer
        SerialNumber       = $Entry.serialNumber
        NotAfter           = [datetime]::Parse($Entry.notAfter, [cultureinfo]::InvariantCulture, $utc)
        Since              = [datetime]::Parse($Entry.since, [cultureinfo]::InvariantCulture, $utc)
        PreviousThumbprint = if ($previous) { $previous.thumbprint } else { $null }
        PreviousSince      = if ($previous) { [datetime]::Parse($previous.since, [cultureinfo]::InvariantCulture, $utc) } else { $null }
        ScheduledThumbprint = if ($Entry.scheduled) { $Entry.scheduled.thumbprint } else { $null }
        ScheduledFrom       = if ($Entry.scheduled) { [datetime]::Parse($Entry.scheduled.effective, [cultureinfo]::InvariantCulture, $utc) } else { $null }
        LivePath           = $Entry.livePath
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
