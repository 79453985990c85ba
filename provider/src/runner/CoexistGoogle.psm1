#Requires -Version 7.4
<#
  coexist's one helper for a Google Workspace source, imported by runner.ps1 (beside it) after
  PSGSuite. PSGSuite has no cmdlet that removes a Gmail forwarding address, so this calls the
  Gmail API's users.settings.forwardingAddresses.delete ("Deletes the specified forwarding
  address and revokes any verification that may have been required", scope
  gmail.settings.sharing) through PSGSuite's own New-GoogleService, which impersonates -User with
  the service account's key (docs/design/sources-google-and-vendor.md §1, §2, §3.3).

  Rules this file keeps, as runner.ps1 does: values are parameters, never script text; nothing
  here reads stdin or writes to the console.
#>

Set-StrictMode -Version Latest

function Remove-CoexistGmailForwardingAddress {
    [CmdletBinding()]
    param(
        # The mailbox whose forwarding address goes: always named (PSGSuite would default to the admin's own).
        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string] $User,
        # The forwarding address to delete (its forwardingEmail).
        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string] $ForwardingAddress
    )
    $service = New-GoogleService -Scope 'https://www.googleapis.com/auth/gmail.settings.sharing' -ServiceType 'Google.Apis.Gmail.v1.GmailService' -User $User
    # An address already gone answers notFound [404], which the error table reads as not-found
    # and coexist counts as done (cmdlets/google.ts; unverified, design §8.2). The API answers
    # an empty body: nothing goes down the pipeline.
    $null = $service.Users.Settings.ForwardingAddresses.Delete($User, $ForwardingAddress).Execute()
}

Export-ModuleMember -Function 'Remove-CoexistGmailForwardingAddress'
