# rotor-operation: set-service-credential
<#
.SYNOPSIS
    Writes the password of the account a service logs on as.
.DESCRIPTION
    Input: {"name":"AppSvc","account":"CONTOSO\\svc-app","password":"...",
    "jobId":"..."} (jobId optional, for the event log entry).
    Always writes, even when nothing seems to change: the old password is
    never read. Calls Win32_Service.Change through a CIM session method with
    StartName (the account exactly as Windows wrote it) and StartPassword,
    so that the password is a method argument and never a cmdlet parameter
    that module logging would record. A ReturnValue other than 0 is a
    failure named after it. Refuses built-in, virtual and managed accounts,
    and a service whose account is no longer the one given.
#>
param([string]$InputJson)
. (Join-Path $PSScriptRoot '_prelude.ps1') # rotor-prelude

# Win32_Service method return values (not Win32 errors).
$changeResults = @{
    1 = 'NotSupported'; 2 = 'AccessDenied'; 3 = 'DependentServicesRunning'
    4 = 'InvalidServiceControl'; 5 = 'ServiceCannotAcceptControl'
    6 = 'ServiceNotActive'; 7 = 'ServiceRequestTimeout'; 8 = 'UnknownFailure'
    9 = 'PathNotFound'; 10 = 'ServiceAlreadyRunning'
    11 = 'ServiceDatabaseLocked'; 12 = 'ServiceDependencyDeleted'
    13 = 'ServiceDependencyFailure'; 14 = 'ServiceDisabled'
    15 = 'ServiceLogonFailed'; 16 = 'MarkedForDeletion'; 17 = 'ServiceNoThread'
    18 = 'CircularDependency'; 19 = 'DuplicateName'; 20 = 'InvalidName'
    21 = 'InvalidParameter'; 22 = 'InvalidServiceAccount'; 23 = 'ServiceExists'
    24 = 'ServiceAlreadyPaused'
}

Assert-RotorAdministrator
$request = Read-RotorInput $InputJson
$name = [string]$request.name
$account = [string]$request.account
$password = [string]$request.password
Protect-RotorSecret $password
Assert-RotorPasswordAccount $account

$session = $null
try {
    $service = @(Get-CimInstance -ClassName Win32_Service | Where-Object { $_.Name -eq $name }) | Select-Object -First 1
    if ($null -eq $service) {
        Exit-RotorError -Code 1060 -Name 'ERROR_SERVICE_DOES_NOT_EXIST' -Message ('service ' + $name + ' does not exist')
    }
    if (-not (Test-RotorSameAccount ([string]$service.StartName) $account)) {
        Exit-RotorError -Code -1 -Name 'AccountChanged' -Message ('service ' + $name + ' no longer runs as ' + $account + '; nothing was written')
    }
    $in = [Microsoft.Management.Infrastructure.CimFlags]::In
    $text = [Microsoft.Management.Infrastructure.CimType]::String
    $arguments = New-Object Microsoft.Management.Infrastructure.CimMethodParametersCollection
    $arguments.Add([Microsoft.Management.Infrastructure.CimMethodParameter]::Create('StartName', $account, $text, $in))
    $arguments.Add([Microsoft.Management.Infrastructure.CimMethodParameter]::Create('StartPassword', $password, $text, $in))
    $session = [Microsoft.Management.Infrastructure.CimSession]::Create($null)
    Start-RotorChange ('set the password of service ' + $name + ' (account ' + $account + ')')
    $outcome = $session.InvokeMethod('root/cimv2', $service, 'Change', $arguments)
    $returnValue = [long]$outcome.ReturnValue.Value
} catch {
    Exit-RotorException $_ ('changing the logon of service ' + $name)
} finally {
    if ($null -ne $session) { $session.Dispose() }
}

if ($returnValue -ne 0) {
    $resultName = 'UnknownReturnValue'
    if ($changeResults.ContainsKey([int]$returnValue)) { $resultName = $changeResults[[int]$returnValue] }
    Exit-RotorError -Code $returnValue -Name $resultName -Message ('Win32_Service.Change returned ' + $returnValue + ' for service ' + $name)
}

Exit-RotorOk ([ordered]@{ ReturnValue = 0 })
