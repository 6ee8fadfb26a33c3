# rotor-operation: change-domain-password
<#
.SYNOPSIS
    Resets the password of a domain account, from a domain controller or a
    member server with the ActiveDirectory module.
.DESCRIPTION
    Input: {"account":"svc-app","password":"...","jobId":"..."}, the
    sAMAccountName (jobId optional, for the event log entry).
    Uses Set-ADAccountPassword -Reset, with the new password built into a
    SecureString by method calls (so no cmdlet parameter ever holds it in
    clear text). Does not set "must change password at next logon".
    Needs the right to reset the account's password in the directory.
#>
param([string]$InputJson)
. (Join-Path $PSScriptRoot '_prelude.ps1') # rotor-prelude

$request = Read-RotorInput $InputJson
$account = [string]$request.account
$password = [string]$request.password
Protect-RotorSecret $password

if ([string]::IsNullOrWhiteSpace($account) -or $account -match '[\\/\[\]:;|=,+\*\?<>"@]' -or $account.EndsWith('$')) {
    Exit-RotorError -Code 87 -Name 'ERROR_INVALID_PARAMETER' -Message 'the account is not a plain sAMAccountName of a user'
}

try {
    Import-Module ActiveDirectory -ErrorAction Stop
} catch {
    Exit-RotorError -Code -1 -Name 'ActiveDirectoryModuleMissing' -Message 'the ActiveDirectory module is not available on this host'
}

$secure = New-Object System.Security.SecureString
foreach ($ch in $password.ToCharArray()) { $secure.AppendChar($ch) }
$secure.MakeReadOnly()

try {
    Start-RotorChange ('reset the password of domain account ' + $account)
    Set-ADAccountPassword -Identity $account -Reset -NewPassword $secure
} catch {
    $names = @('ADPasswordComplexityException', 'ADIdentityNotFoundException', 'UnauthorizedAccessException')
    $known = Find-RotorException $_.Exception $names
    $message = 'resetting the password of ' + $account + ': ' + $_.Exception.Message
    if ($null -ne $known) {
        switch ($known.GetType().Name) {
            'ADPasswordComplexityException' { Exit-RotorError -Code 1325 -Name 'ERROR_PASSWORD_RESTRICTION' -Message $message }
            'ADIdentityNotFoundException' { Exit-RotorError -Code 1317 -Name 'ERROR_NO_SUCH_USER' -Message $message }
            'UnauthorizedAccessException' { Exit-RotorError -Code 5 -Name 'ERROR_ACCESS_DENIED' -Message $message }
        }
    }
    Exit-RotorException $_ ('resetting the password of ' + $account)
} finally {
    $secure.Dispose()
}

Exit-RotorOk ([ordered]@{ Account = $account })
