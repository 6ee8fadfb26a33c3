# rotor-operation: test-logon
<#
.SYNOPSIS
    Checks that an account and password log on, without running anything
    as that account.
.DESCRIPTION
    Input: {"account":"CONTOSO\\svc-app","password":"..."} with the account
    as DOMAIN\name, .\name (a local account) or name@upn.suffix. Calls
    LogonUser (advapi32, LOGON32_LOGON_NETWORK, through Add-Type) and
    closes the token at once; a refusal is reported with its Win32 error
    (1326 wrong password, 1907 must change, 1330 expired, 1909 locked out,
    1385 logon type not granted, ...). Each failed check counts against the
    account's lockout threshold.
#>
param([string]$InputJson)
. (Join-Path $PSScriptRoot '_prelude.ps1') # rotor-prelude

$request = Read-RotorInput $InputJson
$account = [string]$request.account
$password = [string]$request.password
Protect-RotorSecret $password

$source = @'
using System;
using System.Runtime.InteropServices;

public static class RotorLogonCheck
{
    [DllImport("advapi32.dll", SetLastError = true, CharSet = CharSet.Unicode)]
    private static extern bool LogonUser(string user, string domain, string password,
        int logonType, int provider, out IntPtr token);

    [DllImport("kernel32.dll", SetLastError = true)]
    private static extern bool CloseHandle(IntPtr handle);

    public static int Check(string user, string domain, string password)
    {
        IntPtr token;
        if (!LogonUser(user, domain, password, 3, 0, out token))
        {
            return Marshal.GetLastWin32Error();
        }
        CloseHandle(token);
        return 0;
    }
}
'@

$domain = $null
$user = $account
$cut = $account.IndexOf('\')
if ($cut -ge 0) {
    $domain = $account.Substring(0, $cut)
    $user = $account.Substring($cut + 1)
}
if ([string]::IsNullOrWhiteSpace($user)) {
    Exit-RotorError -Code 87 -Name 'ERROR_INVALID_PARAMETER' -Message 'the account has no user name'
}

# A refused logon counts against the account's lockout: from here on the
# host has been touched, though nothing is changed or logged.
Start-RotorChange
try {
    if (-not ('RotorLogonCheck' -as [type])) { Add-Type -TypeDefinition $source }
    $code = [RotorLogonCheck]::Check($user, $domain, $password)
} catch {
    Exit-RotorException $_ ('checking the logon of ' + $account)
}

if ($code -ne 0) {
    Exit-RotorError -Code $code -Name (Get-RotorCodeName $code) -Message ('logon of ' + $account + ' refused')
}

Exit-RotorOk ([ordered]@{ LoggedOn = $true })
