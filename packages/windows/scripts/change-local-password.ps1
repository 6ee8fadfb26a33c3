# rotor-operation: change-local-password
<#
.SYNOPSIS
    Sets the password of a local account of this host.
.DESCRIPTION
    Input: {"account":"svc-app","password":"...","jobId":"..."}, the account without a
    domain. Uses the ADSI WinNT provider ([ADSI]"WinNT://HOST/name,user")
    and its SetPassword method, so the password is a method argument and
    never a cmdlet parameter that module logging would record; works
    without the Microsoft.PowerShell.LocalAccounts module. Password policy
    refusals come back as NERR_PasswordTooShort (2245) and the like.
#>
param([string]$InputJson)
. (Join-Path $PSScriptRoot '_prelude.ps1') # rotor-prelude

Assert-RotorAdministrator
$request = Read-RotorInput $InputJson
$account = [string]$request.account
$password = [string]$request.password
Protect-RotorSecret $password

# The name goes into an ADSI path: only characters a local user name may hold.
if ([string]::IsNullOrWhiteSpace($account) -or $account -match '[\\/\[\]:;|=,+\*\?<>"@]' -or $account.EndsWith('$')) {
    Exit-RotorError -Code 87 -Name 'ERROR_INVALID_PARAMETER' -Message 'the account is not a plain local user name'
}

try {
    Start-RotorChange ('change the password of local account ' + $account)
    $user = [ADSI]('WinNT://' + $env:COMPUTERNAME + '/' + $account + ',user')
    $null = $user.SetPassword($password)
} catch {
    Exit-RotorException $_ ('setting the password of local account ' + $account)
}

Exit-RotorOk ([ordered]@{ Account = $account })
