@{
    RootModule           = 'OcsCertificate.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0f3a52-3f5e-4d39-9d1e-6b1f0c2d7a41'
    Author               = 'OcsCert'
    Description          = 'TLS certificates for Office Communications Server 2007 pools: requests with the right names, a durable pending-request store, and (later) CA submission and role assignment.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('OcsCertificate.Format.ps1xml')
    FunctionsToExport    = @(
        'Resolve-OcsCertificateName'
        'New-OcsCertificateRequest'
        'Get-OcsCertificateRequest'
        'Remove-OcsCertificateRequest'
        'Complete-OcsCertificateRequest'
        'Submit-OcsCertificateRequest'
        'Receive-OcsCertificate'
        'Get-OcsCertificate'
        'Set-OcsCertificate'
        'Get-OcsCertificateBinding'
        'Test-OcsCertificate'
        'Import-OcsCertificate'
        'Export-OcsCertificate'
        'Remove-OcsCertificate'
        'Update-OcsCertificateBinding'
        'Register-OcsCertificateRenewal'
        'Get-OcsCertificateRenewal'
        'Unregister-OcsCertificateRenewal'
    )
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{ PSData = @{ Tags = @('OCS', 'Certificate', 'PKI', 'TLS', 'CSR') } }
}
