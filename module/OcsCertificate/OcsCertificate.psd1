@{
    RootModule           = 'OcsCertificate.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0f3a52-3f5e-4d39-9d1e-6b1f0c2d7a41'
    Author               = 'OcsCert'
    Description          = 'TLS certificates for Office Communications Server 2007 pools: requests with the names each role needs, a durable store of pending requests and installed certificates, submission to online CAs (ACME, SCEP) or completion with an offline CA''s answer, checked assignment to roles with roll-back and scheduled roll-overs, PFX import and export, and a mutual-TLS test against pool peers.'
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
        'Update-OcsCertificate'
        'Request-OcsPoolCertificate'
        'Test-OcsPool'
        'Update-OcsPool'
        'Get-OcsCertificate'
        'Set-OcsCertificate'
        'Get-OcsCertificateBinding'
        'Test-OcsCertificate'
        'Import-OcsCertificate'
        'Export-OcsCertificate'
        'Remove-OcsCertificate'
        'Update-OcsCertificateBinding'
        'Get-OcsCertificateVersion'
        'Register-OcsCertificateRenewal'
        'Get-OcsCertificateRenewal'
        'Unregister-OcsCertificateRenewal'
    )
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{ PSData = @{ Tags = @('OCS', 'Certificate', 'PKI', 'TLS', 'CSR') } }
}
