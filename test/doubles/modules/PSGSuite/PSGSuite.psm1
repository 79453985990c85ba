#Requires -Version 7.4
<#
  Test double of PSGSuite 3.0.0 (SCRT-HQ/PSGSuite, tag v3.0.0, commit 43f90e9). runner.ps1
  imports it by name (Connect-GoogleWorkspaceTarget) from the module path a test sets, exactly as
  it imports the real module. Each function below has the real function's parameter block
  (names, aliases, types, Mandatory, Position, parameter sets, validation) and the real body's
  shape: the same user resolution, the same New-GoogleService call, the same try/catch and the
  same properties added to the output. Only the Google API call is replaced: where the real body
  builds a Google client request ($service.Users.Settings....), the double builds a
  SimulatedRequest whose Execute() sends the cmdlet and its bound parameters to the coexist
  simulator (module CoexistSimulatorBridge) and answers with the simulator's objects, or throws
  a Google.GoogleApiException built from the simulator's error text. Execute() is a .NET method,
  so PowerShell wraps what it throws in a MethodInvocationException ('Exception calling "Execute"
  with "0" argument(s): ...'), as it wraps the real Google client's.

  Not doubled: authentication (the key is never parsed, no token is fetched), config files
  (Get-/Set-PSGSuiteConfig and the Configuration module), paging and quotas of the real API
  (the simulator models its own quotas), aliases (Get-GSUserList) and every other PSGSuite cmdlet.
  No strict mode, as in the real module: its code reads properties of a missing config.
#>
Param
(
    # The real load script's own parameters (PSGSuite/PSGSuite.psm1): a key for the encrypted
    # config file and a config name. The double reads no config file; the signature is kept.
    [parameter(Position = 0,ValueFromRemainingArguments = $true)]
    [AllowNull()]
    [Byte[]]
    $EncryptionKey = $null,
    [parameter(Position = 1)]
    [AllowNull()]
    [String]
    $ConfigName
)
Set-StrictMode -Off

$ModuleRoot = $PSScriptRoot
New-Variable -Name PSGSuiteKey -Value $EncryptionKey -Scope Global -Force

# The simulated Google tenant, reached through the other doubles' bridge (same module path).
Import-Module -Name CoexistSimulatorBridge -ErrorAction Stop

# Every cmdlet name the google role runs (runner.ps1's $GoogleCmdlets): the simulator session is
# opened for all of them, once, on the first API call.
$script:SimulatorCmdlets = [string[]] @(
    'Get-GSUser', 'Get-GSDomain', 'Get-GSDomainAlias',
    'Get-GSGmailAutoForwardingSettings', 'Get-GSGmailForwardingAddress',
    'Add-GSGmailForwardingAddress', 'Update-GSGmailAutoForwardingSettings',
    'Remove-CoexistGmailForwardingAddress'
)

# ---------------------------------------------------------------------------------------------
# The Google client's exception types, under their real names, so that runner.ps1 reads them as
# it reads the real ones (Get-ErrorText: $exception.Error of type Google.Apis.Requests.RequestError).
# Modelled on googleapis/google-api-dotnet-client, Src/Support/Google.Apis.Core/GoogleApiException.cs
# and Requests/RequestError.cs, SingleError.cs (the versions with GoogleApiException(serviceName)
# and the Message override). Once per process: a type cannot be added twice.
if (-not ('Google.GoogleApiException' -as [type])) {
    Add-Type -TypeDefinition @'
using System;
using System.Collections.Generic;
using System.Net;
using System.Text;

namespace Google.Apis.Requests
{
    /// <summary>One error of a RequestError, as the client reads it from the API's JSON.</summary>
    public class SingleError
    {
        public string Domain { get; set; }
        public string Location { get; set; }
        public string LocationType { get; set; }
        public string Message { get; set; }
        public string Reason { get; set; }

        public override string ToString()
        {
            return "Message[" + Message + "] Location[" + Location + " - " + LocationType + "] Reason[" + Reason + "] Domain[" + Domain + "]";
        }
    }

    /// <summary>The error an API call answered with.</summary>
    public class RequestError
    {
        private readonly string text;

        public RequestError() { }

        /// <summary>The double's own: the error's summary exactly as the simulator wrote it.</summary>
        public RequestError(string text)
        {
            this.text = text;
        }

        public IList<SingleError> Errors { get; set; }
        public int Code { get; set; }
        public string Message { get; set; }
        public string ErrorResponseContent { get; set; }

        /// <summary>The simulator's text when there is one, else the client's own summary format.</summary>
        public override string ToString()
        {
            if (text != null)
            {
                return text;
            }
            var sb = new StringBuilder();
            sb.AppendLine(GetType().FullName).Append(Message).AppendFormat(" [{0}]", Code).AppendLine();
            if (Errors == null || Errors.Count == 0)
            {
                sb.AppendLine("No individual errors");
            }
            else
            {
                sb.AppendLine("Errors [");
                foreach (SingleError err in Errors)
                {
                    sb.Append('\t').AppendLine(err.ToString());
                }
                sb.AppendLine("]");
            }
            return sb.ToString();
        }
    }
}

namespace Google
{
    using Google.Apis.Requests;

    /// <summary>An exception thrown by an API service (what ClientServiceRequest.Execute throws on an error answer).</summary>
    public class GoogleApiException : Exception
    {
        private readonly bool hasMessage;

        public GoogleApiException(string serviceName, string message, Exception inner) : base(message, inner)
        {
            if (serviceName == null)
            {
                throw new ArgumentNullException("serviceName");
            }
            ServiceName = serviceName;
            hasMessage = message != null;
        }

        public GoogleApiException(string serviceName, string message) : this(serviceName, message, null) { }

        /// <summary>No message: Message is made of the service name, the status and the error's message.</summary>
        public GoogleApiException(string serviceName) : this(serviceName, null, null) { }

        public string ServiceName { get; private set; }
        public RequestError Error { get; set; }
        public HttpStatusCode HttpStatusCode { get; set; }

        private string ServiceNameMessage { get { return "The service " + ServiceName + " has thrown an exception."; } }
        private string HttpStatusCodeMessage { get { return HttpStatusCode > 0 ? "HttpStatusCode is " + HttpStatusCode + "." : "No HttpStatusCode was specified."; } }
        private string ErrorMessage { get { return (Error != null && Error.Message != null) ? Error.Message : "No error message was specified."; } }
        private string ContentMessage { get { return Error == null ? "No error details were specified." : Error.ToString(); } }

        public override string Message
        {
            get { return hasMessage ? base.Message : ServiceNameMessage + " " + HttpStatusCodeMessage + " " + ErrorMessage; }
        }

        public override string ToString()
        {
            return ServiceNameMessage + Environment.NewLine + HttpStatusCodeMessage + Environment.NewLine + ContentMessage + Environment.NewLine + base.ToString();
        }
    }
}

namespace Google.Apis.Auth.OAuth2.Responses
{
    /// <summary>
    /// What the token request throws when Google refuses to impersonate a user (deleted or
    /// suspended: invalid_grant). The real one takes a TokenErrorResponse and its Message is that
    /// response's ToString(), 'Error:"invalid_grant", Description:"...", Uri:""'
    /// (Src/Support/Google.Apis.Auth/OAuth2/Responses/TokenResponseException.cs,
    /// TokenErrorResponse.cs); the double is given that text.
    /// </summary>
    public class TokenResponseException : Exception
    {
        public TokenResponseException(string message) : base(message) { }
    }
}
'@
}

# A Google client request as PSGSuite uses one: an object whose Execute() answers or throws.
if (-not ('CoexistDoubles.PSGSuite.SimulatedRequest' -as [type])) {
    Add-Type -TypeDefinition @'
using System;
using System.Collections;
using System.Collections.ObjectModel;
using System.Management.Automation;

namespace CoexistDoubles.PSGSuite
{
    /// <summary>
    /// Stands in for a ClientServiceRequest: Execute() runs the double's sender (a script block of
    /// the PSGSuite double's module) and throws the exception it hands back, as a .NET method, so
    /// that PowerShell wraps it as it wraps the real client's.
    /// </summary>
    public sealed class SimulatedRequest
    {
        private readonly ScriptBlock send;

        public SimulatedRequest(ScriptBlock send, string serviceName, string cmdlet, IDictionary parameters, string shape)
        {
            this.send = send;
            ServiceName = serviceName;
            Cmdlet = cmdlet;
            Parameters = parameters;
            Shape = shape;
        }

        public string ServiceName { get; private set; }
        public string Cmdlet { get; private set; }
        public IDictionary Parameters { get; private set; }
        public string Shape { get; private set; }

        public object Execute()
        {
            Collection<PSObject> answer = send.Invoke(ServiceName, Cmdlet, Parameters, Shape);
            PSObject first = answer.Count > 0 ? answer[0] : null;
            if (first != null && first.BaseObject is Exception)
            {
                throw (Exception)first.BaseObject;
            }
            return first;
        }
    }
}
'@
}

# ---------------------------------------------------------------------------------------------
# Private helpers

# SCRT-HQ/PSGSuite v3.0.0 PSGSuite/Private/ThrowTerm.ps1
function ThrowTerm {
    Param
    (
        [parameter(Mandatory = $true,Position = 0)]
        [String]
        $Message
    )
    New-Object System.Management.Automation.ErrorRecord(
        (New-Object Exception $Message),
        'PowerShell.Module.Error',
        [System.Management.Automation.ErrorCategory]::OperationStopped,
        $null
    )
}

# SCRT-HQ/PSGSuite v3.0.0 PSGSuite/Private/Resolve-Email.ps1: 'me' is the AdminEmail, a bare
# name gets @Domain, a numeric user ID stays.
function Resolve-Email {
    [CmdletBinding()]
    Param (
        [parameter(Mandatory,Position = 0,ValueFromPipeline,ValueFromPipelineByPropertyName)]
        [Ref[]]
        $Email,
        [parameter()]
        [Switch]
        $IsGroup
    )
    Process {
        foreach ($e in $Email) {
            if (-not $IsGroup -and -not ($e.value -as [decimal])) {
                if ($e.value -ceq 'me') {
                    $e.value = $Script:PSGSuite.AdminEmail
                }
                elseif ($e.value -notlike "*@*.*") {
                    $e.value = "$($e.value)@$($Script:PSGSuite.Domain)"
                }
            }
            elseif ($IsGroup -and $e.value -cnotmatch '^([\w.%+-]+@[a-zA-Z\d.-]+\.[a-zA-Z]{2,}|\d{2}[a-z\d]{13})$') {
                $e.value = "$($e.value)@$($Script:PSGSuite.Domain)"
            }
        }
    }
}

# The service object New-GoogleService returns. Its Name is the real service's (GmailService.Name
# 'gmail', DirectoryService.Name 'admin'), which GoogleApiException messages name. Of the API's
# resources only users.settings.forwardingAddresses.delete is there, the one call coexist makes on
# a service itself (CoexistGoogle.psm1); the doubled cmdlets send their calls themselves.
function New-SimulatedService {
    param([string] $ServiceType)
    $name = switch ($ServiceType) {
        'Google.Apis.Gmail.v1.GmailService' { 'gmail' }
        'Google.Apis.Admin.Directory.directory_v1.DirectoryService' { 'admin' }
        default { (($ServiceType -split '\.') | Select-Object -Skip 2 -First 1).ToLowerInvariant() }
    }
    $service = [pscustomobject]@{ PSTypeName = $ServiceType; Name = $name; Users = $null }
    if ($name -ceq 'gmail') {
        $forwardingAddresses = [pscustomobject]@{ ServiceName = $name }
        # GmailService.Users.Settings.ForwardingAddresses.Delete(string userId, string forwardingEmail):
        # the API answers an empty body, which the client returns as an empty string.
        $forwardingAddresses | Add-Member -MemberType ScriptMethod -Name Delete -Value {
            param([string] $userId, [string] $forwardingEmail)
            New-SimulatedRequest -ServiceName $this.ServiceName -Cmdlet 'Remove-CoexistGmailForwardingAddress' -Parameters @{ User = $userId; ForwardingAddress = $forwardingEmail } -Shape Empty
        }
        $service.Users = [pscustomobject]@{ Settings = [pscustomobject]@{ ForwardingAddresses = $forwardingAddresses } }
    }
    return $service
}

function New-SimulatedRequest {
    param(
        [string] $ServiceName,
        [string] $Cmdlet,
        [System.Collections.IDictionary] $Parameters,
        # What Execute() answers with: Single (one API object), Empty (''), or the name of the list
        # property of the API's list response (ForwardingAddresses, UsersValue, Domains, DomainAliasesValue).
        [string] $Shape = 'Single'
    )
    return [CoexistDoubles.PSGSuite.SimulatedRequest]::new($script:SendRequest, $ServiceName, $Cmdlet, $Parameters, $Shape)
}

# Execute()'s sender, bound to this module's scope (so it sees the bridge and the helpers here).
$script:SendRequest = {
    param([string] $ServiceName, [string] $Cmdlet, [System.Collections.IDictionary] $Parameters, [string] $Shape)
    Send-SimulatedRequest -ServiceName $ServiceName -Cmdlet $Cmdlet -Parameters $Parameters -Shape $Shape
}

# One API call: signs in lazily (PSGSuite's credential fetches its token on the first Execute),
# then one cmdlet call on the simulator. Hands back the API response, or the exception to throw.
function Send-SimulatedRequest {
    param([string] $ServiceName, [string] $Cmdlet, [System.Collections.IDictionary] $Parameters, [string] $Shape)
    try {
        # The bridge starts and connects the simulator once per process; later calls return at once.
        $connected = Connect-CoexistSimulator -Role google -Allow $script:SimulatorCmdlets
        $failure = Get-BridgeFailure $connected
        if ($null -ne $failure) {
            return (New-SimulatorException -Failure $failure -ServiceName $ServiceName)
        }
        $answer = Invoke-CoexistSimulator -Role google -Cmdlet $Cmdlet -Parameters $Parameters
    }
    catch {
        return $_.Exception
    }
    $failure = Get-BridgeFailure $answer
    if ($null -ne $failure) {
        return (New-SimulatorException -Failure $failure -ServiceName $ServiceName)
    }
    return (ConvertTo-ApiResponse -Output @($answer.Output) -Shape $Shape)
}

function Get-BridgeFailure {
    param($Answer)
    foreach ($item in @($Answer)) {
        if ($null -ne $item -and $null -ne $item.PSObject.Properties['Ok'] -and -not $item.Ok) {
            return $item
        }
    }
    return $null
}

# The simulator's objects as the Google client's objects: without the properties PSGSuite itself
# adds (User), which each function adds back as the real one does.
function ConvertTo-ApiObject {
    param($Object)
    if ($null -eq $Object -or $Object.PSObject.BaseObject -isnot [System.Management.Automation.PSCustomObject]) {
        return $Object
    }
    $properties = [ordered]@{}
    foreach ($property in $Object.PSObject.Properties) {
        if ($property.Name -ne 'User') {
            $properties[$property.Name] = $property.Value
        }
    }
    return [pscustomobject] $properties
}

function ConvertTo-ApiResponse {
    param([object[]] $Output, [string] $Shape)
    $objects = [System.Collections.Generic.List[object]]::new()
    foreach ($item in $Output) {
        if ($null -ne $item) {
            $objects.Add((ConvertTo-ApiObject $item))
        }
    }
    switch ($Shape) {
        'Single' {
            if ($objects.Count -gt 0) {
                return $objects[0]
            }
            return $null
        }
        'Empty' {
            return ''
        }
        default {
            # A list response: its list property holds the items. The API leaves an empty list
            # out of its JSON, so the client's property is null then (an assumption for these calls).
            $response = [ordered]@{}
            $response[$Shape] = if ($objects.Count -gt 0) { $objects } else { $null }
            if ($Shape -eq 'UsersValue') {
                $response['NextPageToken'] = $null   # the simulator answers in one page
            }
            return [pscustomobject] $response
        }
    }
}

# The exception the Google client would throw for the simulator's error. A Google API error
# (reason GoogleApiException, text "Google.Apis.Requests.RequestError\r\n<message> [<code>]\r\n
# Errors [ Message[...] Location[ - ] Reason[...] Domain[...] ]", provider/src/simulator/errors.ts)
# becomes a GoogleApiException as ClientServiceRequest throws it: new GoogleApiException(service.Name)
# { Error, HttpStatusCode }, whose Message is "The service <name> has thrown an exception.
# HttpStatusCode is <status>. <error message>" and whose Error.ToString() is the simulator's text.
# Any other failure (the simulator's own: notConnected, malformed, ...) is a plain exception of the
# named .NET type where one exists, else System.Exception.
function New-SimulatorException {
    param([Parameter(Mandatory = $true)] $Failure, [string] $ServiceName)
    $reason = [string] $Failure.Reason
    $text = [string] $Failure.Message
    if ($reason -ceq 'GoogleApiException') {
        return (New-GoogleApiException -ServiceName $ServiceName -Text $text)
    }
    $type = Resolve-ExceptionType $reason
    try {
        return $type::new($text)
    }
    catch {
        return [System.Exception]::new($text)
    }
}

function New-GoogleApiException {
    param([string] $ServiceName, [string] $Text)
    if ([string]::IsNullOrEmpty($ServiceName)) {
        $ServiceName = 'unknown'
    }
    $requestError = [Google.Apis.Requests.RequestError]::new($Text)
    $lines = $Text -split '\r?\n'
    if ($lines.Count -ge 2 -and $lines[0] -ceq 'Google.Apis.Requests.RequestError' -and $lines[1] -match '^(?<message>.*) \[(?<code>\d{3})\]\s*$') {
        $requestError.Message = $Matches['message']
        $requestError.Code = [int] $Matches['code']
        $errors = [System.Collections.Generic.List[Google.Apis.Requests.SingleError]]::new()
        $pattern = 'Message\[(?<message>.*?)\] Location\[(?<location>.*?) - (?<locationType>.*?)\] Reason\[(?<reason>[^\]]*)\] Domain\[(?<domain>[^\]]*)\]'
        foreach ($match in [regex]::Matches($Text, $pattern)) {
            $single = [Google.Apis.Requests.SingleError]::new()
            $single.Message = $match.Groups['message'].Value
            $single.Location = if ($match.Groups['location'].Value) { $match.Groups['location'].Value } else { $null }
            $single.LocationType = if ($match.Groups['locationType'].Value) { $match.Groups['locationType'].Value } else { $null }
            $single.Reason = $match.Groups['reason'].Value
            $single.Domain = $match.Groups['domain'].Value
            $errors.Add($single)
        }
        $requestError.Errors = $errors
        $exception = [Google.GoogleApiException]::new($ServiceName)
        $exception.Error = $requestError
        $exception.HttpStatusCode = [System.Net.HttpStatusCode] $requestError.Code
        return $exception
    }
    # Not in the client's format: the text is the message.
    $exception = [Google.GoogleApiException]::new($ServiceName, $Text)
    $exception.Error = $requestError
    return $exception
}

$script:ExceptionTypes = @{}
# The public .NET exception type of that name that takes a message, System.* first; else System.Exception.
function Resolve-ExceptionType {
    param([string] $Name)
    if ([string]::IsNullOrEmpty($Name) -or $Name -notmatch '^\w+$') {
        return [System.Exception]
    }
    if ($script:ExceptionTypes.ContainsKey($Name)) {
        return $script:ExceptionTypes[$Name]
    }
    $namespaces = @('System', 'System.IO', 'System.Net', 'System.Net.Http', 'System.Security', 'System.Security.Authentication',
        'System.Security.Cryptography', 'System.Management.Automation', 'System.Management.Automation.Remoting')
    foreach ($namespace in $namespaces) {
        $type = "$namespace.$Name" -as [type]
        if ($null -ne $type -and -not $type.IsAbstract -and [System.Exception].IsAssignableFrom($type) -and $null -ne $type.GetConstructor([type[]] @([string]))) {
            $script:ExceptionTypes[$Name] = $type
            return $type
        }
    }
    $found = foreach ($assembly in [AppDomain]::CurrentDomain.GetAssemblies()) {
        if ($assembly.IsDynamic) {
            continue
        }
        try {
            $types = $assembly.GetExportedTypes()
        }
        catch {
            continue
        }
        foreach ($type in $types) {
            if ($type.Name -ceq $Name -and -not $type.IsAbstract -and [System.Exception].IsAssignableFrom($type) -and $null -ne $type.GetConstructor([type[]] @([string]))) {
                $type
            }
        }
    }
    $chosen = @($found | Sort-Object -Property @{ Expression = { "$($_.Namespace)" -notlike 'System*' } }, FullName) | Select-Object -First 1
    if ($null -eq $chosen) {
        $chosen = [System.Exception]
    }
    $script:ExceptionTypes[$Name] = $chosen
    return $chosen
}

# ---------------------------------------------------------------------------------------------
# Public functions

# SCRT-HQ/PSGSuite v3.0.0 PSGSuite/Public/Authentication/New-GoogleService.ps1
function New-GoogleService {
    [CmdletBinding()]
    Param(
        [Parameter(Mandatory = $true,Position = 0)]
        [ValidateNotNullOrEmpty()]
        [String[]]
        $Scope,
        [Parameter(Mandatory = $true,Position = 1)]
        [String]
        $ServiceType,
        [Parameter(Mandatory = $false,Position = 2)]
        [Alias('AdminEmail')]
        [String]
        $User = $script:PSGSuite.AdminEmail
    )
    Begin {
        if (-not $script:_PSGSuiteSessions) {
            $script:_PSGSuiteSessions = @{}
        }
        $sessionKey = @($User,$ServiceType,$(($Scope | Sort-Object) -join ";")) -join ";"
    }
    Process {
        if ($script:_PSGSuiteSessions.ContainsKey($sessionKey)) {
            if (-not $script:_PSGSuiteSessions[$sessionKey].Acknowledged) {
                Write-Verbose "Using matching cached service for user '$User'"
                $script:_PSGSuiteSessions[$sessionKey].Acknowledged = $true
            }
            $script:_PSGSuiteSessions[$sessionKey].LastUsed = Get-Date
            $script:_PSGSuiteSessions[$sessionKey] | Select-Object -ExpandProperty Service
        }
        else {
            # The real builds a credential here: from JSONServiceAccountKey,
            # GoogleCredential.FromStream(<key>).CreateWithUser($User).CreateScoped($Scope); from a
            # key path or a P12 key it reads the file and Set-PSGSuiteConfig writes the config file.
            # The double parses no key, reads no file and writes nothing: the simulator signs nobody
            # in. What stays is the real's refusal when the config has no credential at all.
            if ($script:PSGSuite.JSONServiceAccountKey -or $script:PSGSuite.JSONServiceAccountKeyPath) {
                Write-Verbose "Building ServiceAccountCredential from JSONServiceAccountKey as user '$User'"
            }
            elseif ($script:PSGSuite.P12KeyPath -or $script:PSGSuite.P12Key -or $script:PSGSuite.P12KeyObject) {
                Write-Verbose "Building ServiceAccountCredential from P12Key as user '$User'"
            }
            elseif ($script:PSGSuite.ClientSecretsPath -or $script:PSGSuite.ClientSecrets) {
                Write-Verbose "Building UserCredentials from ClientSecrets as user '$User' and prompting for authorization if necessary."
            }
            else {
                $PSCmdlet.ThrowTerminatingError((ThrowTerm "The current config '$($script:PSGSuite.ConfigName)' does not contain a JSONServiceAccountKeyPath, P12KeyPath, or ClientSecretsPath! PSGSuite is unable to build a credential object for the service without a path to a credential file! Please update the configuration to include a path at least one of the three credential types."))
            }
            $svc = New-SimulatedService -ServiceType $ServiceType
            $script:_PSGSuiteSessions[$sessionKey] = ([PSCustomObject]@{
                    User         = $User
                    Scope        = $Scope
                    Service      = $svc
                    Issued       = Get-Date
                    LastUsed     = Get-Date
                    Acknowledged = $false
                })
            return $svc
        }
    }
}

# SCRT-HQ/PSGSuite v3.0.0 PSGSuite/Public/Users/Get-GSUser.ps1
function Get-GSUser {
    [OutputType('Google.Apis.Admin.Directory.directory_v1.Data.User')]
    [cmdletbinding(DefaultParameterSetName = "Get")]
    Param
    (
        [parameter(Mandatory = $false,Position = 0,ValueFromPipeline = $true,ValueFromPipelineByPropertyName = $true,ParameterSetName = "Get")]
        [Alias("PrimaryEmail","UserKey","Mail","Email","Id")]
        [ValidateNotNullOrEmpty()]
        [String[]]
        $User = $Script:PSGSuite.AdminEmail,
        [parameter(Mandatory = $false,ParameterSetName = "List")]
        [Alias("Query")]
        [String[]]
        $Filter = '*',
        [parameter(Mandatory = $false,ParameterSetName = "List")]
        [String]
        $Domain,
        [parameter(Mandatory = $false,ParameterSetName = "List")]
        [Alias("OrgUnitPath")]
        [String]
        $SearchBase,
        [parameter(Mandatory = $false,ParameterSetName = "List")]
        [ValidateSet("Base","OneLevel","Subtree")]
        [String]
        $SearchScope = "Subtree",
        [parameter(Mandatory = $false,ParameterSetName = "List")]
        [Switch]
        $ShowDeleted,
        [parameter(Mandatory = $false)]
        [ValidateSet("Basic","Custom","Full")]
        [string]
        $Projection = "Full",
        [parameter(Mandatory = $false)]
        [String]
        $CustomFieldMask,
        [parameter(Mandatory = $false)]
        [ValidateSet("Admin_View","Domain_Public")]
        [String]
        $ViewType = "Admin_View",
        [parameter(Mandatory = $false)]
        [String[]]
        $Fields,
        [parameter(Mandatory = $false,ParameterSetName = "List")]
        [ValidateRange(1,500)]
        [Alias("MaxResults")]
        [Int]
        $PageSize = 500,
        [parameter(Mandatory = $false,ParameterSetName = "List")]
        [Alias('First')]
        [Int]
        $Limit = 0,
        [parameter(Mandatory = $false,ParameterSetName = "List")]
        [ValidateSet("Email","GivenName","FamilyName")]
        [String]
        $OrderBy,
        [parameter(Mandatory = $false,ParameterSetName = "List")]
        [ValidateSet("Ascending","Descending")]
        [String]
        $SortOrder
    )
    Begin {
        $serviceParams = @{
            Scope       = 'https://www.googleapis.com/auth/admin.directory.user.readonly'
            ServiceType = 'Google.Apis.Admin.Directory.directory_v1.DirectoryService'
        }
        $service = New-GoogleService @serviceParams
    }
    Process {
        if ($MyInvocation.InvocationName -ne 'Get-GSUserList' -and $PSCmdlet.ParameterSetName -eq 'Get') {
            foreach ($U in $User) {
                try {
                    Resolve-Email ([ref]$U)
                    Write-Verbose "Getting User '$U'"
                    # Real: $request = $service.Users.Get($U), then Projection, ViewType, CustomFieldMask
                    # and Fields set on the request. Forwarded: the user, and those that were bound.
                    $parameters = @{ User = $U }
                    foreach ($name in @('Projection', 'CustomFieldMask', 'ViewType', 'Fields')) {
                        if ($PSBoundParameters.ContainsKey($name)) {
                            $parameters[$name] = $PSBoundParameters[$name]
                        }
                    }
                    $request = New-SimulatedRequest -ServiceName $service.Name -Cmdlet 'Get-GSUser' -Parameters $parameters -Shape Single
                    $request.Execute() | Add-Member -MemberType NoteProperty -Name 'User' -Value $U -Force -PassThru | Add-Member -MemberType ScriptMethod -Name ToString -Value {$this.PrimaryEmail} -PassThru -Force
                }
                catch {
                    if ($ErrorActionPreference -eq 'Stop') {
                        $PSCmdlet.ThrowTerminatingError($_)
                    }
                    else {
                        Write-Error $_
                    }
                }
            }
        }
        else {
            try {
                # Real: $request = $service.Users.List() for the config's customer or domain, the
                # query made from -Filter (joined by spaces) and -SearchBase, paged by -PageSize up to
                # -Limit. Forwarded: -Filter as that one string, and the other bound parameters.
                $parameters = @{}
                foreach ($name in @('Domain', 'SearchBase', 'SearchScope', 'ShowDeleted', 'Projection', 'CustomFieldMask', 'ViewType', 'Fields', 'PageSize', 'Limit', 'OrderBy', 'SortOrder')) {
                    if ($PSBoundParameters.ContainsKey($name)) {
                        $value = $PSBoundParameters[$name]
                        if ($value -is [switch]) {
                            $value = $value.IsPresent
                        }
                        $parameters[$name] = $value
                    }
                }
                if ($PSBoundParameters.ContainsKey('Filter')) {
                    $parameters['Filter'] = "$($Filter -join " ")"
                }
                $request = New-SimulatedRequest -ServiceName $service.Name -Cmdlet 'Get-GSUser' -Parameters $parameters -Shape UsersValue
                Write-Verbose "Getting all Users"
                $response = New-Object System.Collections.ArrayList
                $result = $request.Execute()
                if ($result.UsersValue) {
                    $result.UsersValue | ForEach-Object {
                        $_ | Add-Member -MemberType NoteProperty -Name 'User' -Value $_.PrimaryEmail -Force -PassThru | Add-Member -MemberType ScriptMethod -Name ToString -Value {$this.PrimaryEmail} -Force
                        [void]$response.Add($_)
                    }
                }
                if ($SearchScope -ne "Subtree") {
                    if (!$SearchBase) {
                        $SearchBase = "/"
                    }
                    $response = switch ($SearchScope) {
                        Base {
                            $response | Where-Object {$_.OrgUnitPath -eq $SearchBase}
                        }
                        OneLevel {
                            $maxDepth = ($SearchBase -split "/" | Where-Object {$_}).Count + 1
                            $children = $response | Select-Object -ExpandProperty OrgUnitPath -Unique | ForEach-Object {
                                if (($_ -split "/" | Where-Object {$_}).Count -le $maxDepth) {
                                    $_
                                }
                            }
                            $response | Where-Object {$_.OrgUnitPath -in $children}
                        }
                    }
                    Write-Verbose "Total users in SearchScope: $($response.Count)"
                }
                return $response
            }
            catch {
                if ($ErrorActionPreference -eq 'Stop') {
                    $PSCmdlet.ThrowTerminatingError($_)
                }
                else {
                    Write-Error $_
                }
            }
        }
    }
}

# SCRT-HQ/PSGSuite v3.0.0 PSGSuite/Public/Domains/Get-GSDomain.ps1
function Get-GSDomain {
    [OutputType('Google.Apis.Admin.Directory.directory_v1.Data.Domains')]
    [CmdletBinding()]
    Param(
        [Parameter(Position = 0,ValueFromPipeline,ValueFromPipelineByPropertyName)]
        [Alias('Domain')]
        [String[]]
        $DomainName
    )
    Begin {
        $serviceParams = @{
            Scope       = 'https://www.googleapis.com/auth/admin.directory.domain'
            ServiceType = 'Google.Apis.Admin.Directory.directory_v1.DirectoryService'
        }
        $service = New-GoogleService @serviceParams
    }
    Process {
        if ($PSBoundParameters.ContainsKey('DomainName')) {
            foreach ($domain in $DomainName) {
                try {
                    Write-Verbose "Getting Domain '$domain'"
                    # Real: $request = $service.Domains.Get($Script:PSGSuite.CustomerId,$domain)
                    $request = New-SimulatedRequest -ServiceName $service.Name -Cmdlet 'Get-GSDomain' -Parameters @{ DomainName = $domain } -Shape Single
                    $request.Execute()
                }
                catch {
                    if ($ErrorActionPreference -eq 'Stop') {
                        $PSCmdlet.ThrowTerminatingError($_)
                    }
                    else {
                        Write-Error $_
                    }
                }
            }
        }
        else {
            try {
                Write-Verbose "Getting the list of Domains"
                # Real: $request = $service.Domains.List($Script:PSGSuite.CustomerId)
                $request = New-SimulatedRequest -ServiceName $service.Name -Cmdlet 'Get-GSDomain' -Parameters @{} -Shape Domains
                $request.Execute().Domains
            }
            catch {
                if ($ErrorActionPreference -eq 'Stop') {
                    $PSCmdlet.ThrowTerminatingError($_)
                }
                else {
                    Write-Error $_
                }
            }
        }
    }
}

# SCRT-HQ/PSGSuite v3.0.0 PSGSuite/Public/Domains/Get-GSDomainAlias.ps1
function Get-GSDomainAlias {
    [OutputType('Google.Apis.Admin.Directory.directory_v1.Data.DomainAlias')]
    [CmdletBinding(DefaultParameterSetName = "List")]
    Param(
        [Parameter(Position = 0,ValueFromPipeline,ValueFromPipelineByPropertyName,ParameterSetName = "Get")]
        [Alias('DomainAlias')]
        [String[]]
        $DomainAliasName,
        [Parameter(Position = 0,ValueFromPipeline,ValueFromPipelineByPropertyName,ParameterSetName = "List")]
        [String[]]
        $ParentDomainName
    )
    Begin {
        $serviceParams = @{
            Scope       = 'https://www.googleapis.com/auth/admin.directory.domain'
            ServiceType = 'Google.Apis.Admin.Directory.directory_v1.DirectoryService'
        }
        $service = New-GoogleService @serviceParams
    }
    Process {
        if ($PSBoundParameters.ContainsKey('DomainAliasName')) {
            foreach ($alias in $DomainAliasName) {
                try {
                    Write-Verbose "Getting DomainAlias '$alias'"
                    # Real: $request = $service.DomainAliases.Get($Script:PSGSuite.CustomerId,$alias)
                    $request = New-SimulatedRequest -ServiceName $service.Name -Cmdlet 'Get-GSDomainAlias' -Parameters @{ DomainAliasName = $alias } -Shape Single
                    $request.Execute()
                }
                catch {
                    if ($ErrorActionPreference -eq 'Stop') {
                        $PSCmdlet.ThrowTerminatingError($_)
                    }
                    else {
                        Write-Error $_
                    }
                }
            }
        }
        else {
            try {
                # Real: $request = $service.DomainAliases.List($Script:PSGSuite.CustomerId), with
                # $request.ParentDomainName set per -ParentDomainName.
                if ($PSBoundParameters.ContainsKey('ParentDomainName')) {
                    foreach ($pDom in $ParentDomainName) {
                        Write-Verbose "Getting the list of all DomainAliases under parent domain '$pDom'"
                        $request = New-SimulatedRequest -ServiceName $service.Name -Cmdlet 'Get-GSDomainAlias' -Parameters @{ ParentDomainName = $pDom } -Shape DomainAliasesValue
                        $request.Execute().DomainAliasesValue
                    }
                }
                else {
                    Write-Verbose "Getting the list of all DomainAliases"
                    $request = New-SimulatedRequest -ServiceName $service.Name -Cmdlet 'Get-GSDomainAlias' -Parameters @{} -Shape DomainAliasesValue
                    $request.Execute().DomainAliasesValue
                }
            }
            catch {
                if ($ErrorActionPreference -eq 'Stop') {
                    $PSCmdlet.ThrowTerminatingError($_)
                }
                else {
                    Write-Error $_
                }
            }
        }
    }
}

# SCRT-HQ/PSGSuite v3.0.0 PSGSuite/Public/Gmail/Get-GSGmailAutoForwardingSettings.ps1
function Get-GSGmailAutoForwardingSettings {
    [OutputType('Google.Apis.Gmail.v1.Data.AutoForwarding')]
    [cmdletbinding()]
    Param
    (
        [parameter(Mandatory = $false,Position = 0,ValueFromPipelineByPropertyName = $true)]
        [Alias("PrimaryEmail","UserKey","Mail")]
        [ValidateNotNullOrEmpty()]
        [string]
        $User = $Script:PSGSuite.AdminEmail
    )
    Process {
        if ($User -ceq 'me') {
            $User = $Script:PSGSuite.AdminEmail
        }
        elseif ($User -notlike "*@*.*") {
            $User = "$($User)@$($Script:PSGSuite.Domain)"
        }
        $serviceParams = @{
            Scope       = 'https://www.googleapis.com/auth/gmail.settings.basic'
            ServiceType = 'Google.Apis.Gmail.v1.GmailService'
            User        = $User
        }
        $service = New-GoogleService @serviceParams
        try {
            # Real: $request = $service.Users.Settings.GetAutoForwarding($User)
            $request = New-SimulatedRequest -ServiceName $service.Name -Cmdlet 'Get-GSGmailAutoForwardingSettings' -Parameters @{ User = $User } -Shape Single
            Write-Verbose "Getting AutoForwarding settings for user '$User'"
            $request.Execute() | Add-Member -MemberType NoteProperty -Name 'User' -Value $User -PassThru
        }
        catch {
            if ($ErrorActionPreference -eq 'Stop') {
                $PSCmdlet.ThrowTerminatingError($_)
            }
            else {
                Write-Error $_
            }
        }
    }
}

# SCRT-HQ/PSGSuite v3.0.0 PSGSuite/Public/Gmail/Get-GSGmailForwardingAddress.ps1
function Get-GSGmailForwardingAddress {
    [OutputType('Google.Apis.Gmail.v1.Data.ForwardingAddress')]
    [cmdletbinding()]
    Param
    (
        [parameter(Mandatory = $false,ValueFromPipelineByPropertyName = $true)]
        [Alias("Id")]
        [string[]]
        $ForwardingAddress,
        [parameter(Mandatory = $false,Position = 0,ValueFromPipelineByPropertyName = $true)]
        [Alias("PrimaryEmail","UserKey","Mail")]
        [ValidateNotNullOrEmpty()]
        [string]
        $User = $Script:PSGSuite.AdminEmail
    )
    Process {
        if ($User -ceq 'me') {
            $User = $Script:PSGSuite.AdminEmail
        }
        elseif ($User -notlike "*@*.*") {
            $User = "$($User)@$($Script:PSGSuite.Domain)"
        }
        $serviceParams = @{
            Scope       = 'https://www.googleapis.com/auth/gmail.settings.basic'
            ServiceType = 'Google.Apis.Gmail.v1.GmailService'
            User        = $User
        }
        $service = New-GoogleService @serviceParams
        try {
            if ($ForwardingAddress) {
                foreach ($fwd in $ForwardingAddress) {
                    # Real: $request = $service.Users.Settings.ForwardingAddresses.Get($User,$fwd), one call per address.
                    $request = New-SimulatedRequest -ServiceName $service.Name -Cmdlet 'Get-GSGmailForwardingAddress' -Parameters @{ User = $User; ForwardingAddress = @($fwd) } -Shape Single
                    Write-Verbose "Getting Forwarding Address '$fwd' for user '$User'"
                    $request.Execute() | Add-Member -MemberType NoteProperty -Name 'User' -Value $User -PassThru
                }
            }
            else {
                # Real: $request = $service.Users.Settings.ForwardingAddresses.List($User)
                $request = New-SimulatedRequest -ServiceName $service.Name -Cmdlet 'Get-GSGmailForwardingAddress' -Parameters @{ User = $User } -Shape ForwardingAddresses
                Write-Verbose "Getting Forwarding Address List for user '$User'"
                $request.Execute() | Select-Object -ExpandProperty ForwardingAddresses | Add-Member -MemberType NoteProperty -Name 'User' -Value $User -PassThru
            }
        }
        catch {
            if ($ErrorActionPreference -eq 'Stop') {
                $PSCmdlet.ThrowTerminatingError($_)
            }
            else {
                Write-Error $_
            }
        }
    }
}

# SCRT-HQ/PSGSuite v3.0.0 PSGSuite/Public/Gmail/Add-GSGmailForwardingAddress.ps1 (both parameters
# have Position 0 there, so positional calls fail to bind: "Cannot bind positional parameters
# because no names were given." Kept, as the real.)
function Add-GSGmailForwardingAddress {
    [OutputType('Google.Apis.Gmail.v1.Data.ForwardingAddress')]
    [cmdletbinding()]
    Param
    (
        [parameter(Mandatory = $true,Position = 0,ValueFromPipelineByPropertyName = $true)]
        [Alias("Id")]
        [string[]]
        $ForwardingAddress,
        [parameter(Mandatory = $false,Position = 0,ValueFromPipelineByPropertyName = $true)]
        [Alias("PrimaryEmail","UserKey","Mail")]
        [ValidateNotNullOrEmpty()]
        [string]
        $User = $Script:PSGSuite.AdminEmail
    )
    Process {
        if ($User -ceq 'me') {
            $User = $Script:PSGSuite.AdminEmail
        }
        elseif ($User -notlike "*@*.*") {
            $User = "$($User)@$($Script:PSGSuite.Domain)"
        }
        $serviceParams = @{
            Scope       = 'https://www.googleapis.com/auth/gmail.settings.sharing'
            ServiceType = 'Google.Apis.Gmail.v1.GmailService'
            User        = $User
        }
        $service = New-GoogleService @serviceParams
        try {
            foreach ($fwd in $ForwardingAddress) {
                # Real: a ForwardingAddress body with ForwardingEmail = $fwd, then
                # $request = $service.Users.Settings.ForwardingAddresses.Create($body,$User), one call per address.
                $request = New-SimulatedRequest -ServiceName $service.Name -Cmdlet 'Add-GSGmailForwardingAddress' -Parameters @{ User = $User; ForwardingAddress = @($fwd) } -Shape Single
                Write-Verbose "Creating Forwarding Address '$fwd' for user '$User'"
                $request.Execute() | Add-Member -MemberType NoteProperty -Name 'User' -Value $User -PassThru
            }
        }
        catch {
            if ($ErrorActionPreference -eq 'Stop') {
                $PSCmdlet.ThrowTerminatingError($_)
            }
            else {
                Write-Error $_
            }
        }
    }
}

# SCRT-HQ/PSGSuite v3.0.0 PSGSuite/Public/Gmail/Update-GSGmailAutoForwardingSettings.ps1
function Update-GSGmailAutoForwardingSettings {
    [OutputType('Google.Apis.Gmail.v1.Data.AutoForwarding')]
    [cmdletbinding()]
    Param
    (
        [parameter(Mandatory = $true,Position = 0,ValueFromPipelineByPropertyName = $true)]
        [Alias("PrimaryEmail","UserKey","Mail")]
        [ValidateNotNullOrEmpty()]
        [string]
        $User,
        [parameter(Mandatory = $false)]
        [ValidateSet('archive','dispositionUnspecified','leaveInInbox','markRead','trash')]
        [string]
        $Disposition,
        [parameter(Mandatory = $false)]
        [string]
        $EmailAddress,
        [parameter(Mandatory = $false)]
        [switch]
        $Enabled
    )
    Begin {
        if ($User -ceq 'me') {
            $User = $Script:PSGSuite.AdminEmail
        }
        elseif ($User -notlike "*@*.*") {
            $User = "$($User)@$($Script:PSGSuite.Domain)"
        }
        $serviceParams = @{
            Scope       = 'https://www.googleapis.com/auth/gmail.settings.sharing'
            ServiceType = 'Google.Apis.Gmail.v1.GmailService'
            User        = $User
        }
        $service = New-GoogleService @serviceParams
    }
    Process {
        try {
            # Real: a new AutoForwarding body gets every bound parameter that is one of its
            # properties (Disposition, EmailAddress, Enabled; a switch as its bool), then
            # $request = $service.Users.Settings.UpdateAutoForwarding($body,$User).
            $parameters = @{ User = $User }
            foreach ($prop in $PSBoundParameters.Keys | Where-Object {@('Disposition', 'EmailAddress', 'Enabled', 'ETag') -contains $_}) {
                $value = $PSBoundParameters[$prop]
                if ($value -is [switch]) {
                    $value = $value.IsPresent
                }
                $parameters[$prop] = $value
            }
            $request = New-SimulatedRequest -ServiceName $service.Name -Cmdlet 'Update-GSGmailAutoForwardingSettings' -Parameters $parameters -Shape Single
            Write-Verbose "Updating AutoForwarding settings for user '$User'"
            $request.Execute() | Add-Member -MemberType NoteProperty -Name 'User' -Value $User -PassThru
        }
        catch {
            if ($ErrorActionPreference -eq 'Stop') {
                $PSCmdlet.ThrowTerminatingError($_)
            }
            else {
                Write-Error $_
            }
        }
    }
}

# ---------------------------------------------------------------------------------------------
# Load, as the real module's load script (generated by psake.ps1, task Compile)

if (!(Test-Path (Join-Path "~" ".scrthq"))) {
    New-Item -Path (Join-Path "~" ".scrthq") -ItemType Directory -Force | Out-Null
}

if ($PSVersionTable.ContainsKey('PSEdition') -and $PSVersionTable.PSEdition -eq 'Core' -and !$Global:PSGSuiteKey -and !$IsWindows) {
    if (!(Test-Path (Join-Path (Join-Path "~" ".scrthq") "BlockCoreCLREncryptionWarning.txt"))) {
        Write-Warning "CoreCLR does not support DPAPI encryption! Setting a basic AES key to prevent errors. Please create a unique key as soon as possible as this will only obfuscate secrets from plain text in the Configuration, the key is not secure as is. If you would like to prevent this message from displaying in the future, run the following command:`n`nBlock-CoreCLREncryptionWarning`n"
    }
    $Global:PSGSuiteKey = [Byte[]]@(1..16)
}

# The configuration: a $global:PSGSuite found at import is taken, and the module keeps it (the
# caller may remove the global at once). The real load script also Write-Verbose's the whole
# config here, key included; the double never prints it. Without one, the real reads the config
# file (Get-PSGSuiteConfig, Configuration module); there is none here, so it ends where the real
# one ends without a saved config: the warning below, no config, and New-GoogleService refusing
# the first cmdlet call.
try {
    if ($global:PSGSuite) {
        Write-Warning "Using config $(if ($global:PSGSuite.ConfigName){"name '$($global:PSGSuite.ConfigName)' "})found in variable: `$global:PSGSuite"
        if ($global:PSGSuite -is [System.Collections.Hashtable]) {
            $global:PSGSuite = New-Object PSObject -Property $global:PSGSuite
        }
        $script:PSGSuite = $global:PSGSuite
    }
    else {
        Write-Warning "There was no config returned! Please make sure you are using the correct key or have a configuration already saved."
    }
}
catch {
    Write-Warning "There was no config returned! Please make sure you are using the correct key or have a configuration already saved."
}

# The double's own: removing the module (runner.ps1's Disconnect-Target) ends the simulator session.
$ExecutionContext.SessionState.Module.OnRemove = {
    if (Get-Command -Name Disconnect-CoexistSimulator -ErrorAction SilentlyContinue) {
        Disconnect-CoexistSimulator
    }
}

Export-ModuleMember -Function @(
    'Add-GSGmailForwardingAddress',
    'Get-GSDomain',
    'Get-GSDomainAlias',
    'Get-GSGmailAutoForwardingSettings',
    'Get-GSGmailForwardingAddress',
    'Get-GSUser',
    'New-GoogleService',
    'Update-GSGmailAutoForwardingSettings'
)
