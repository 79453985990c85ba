# Exchange's TlsAuthLevel (New-OutboundConnector.md, -TlsSettings), for the connectors' nullable parameter.
enum TlsAuthLevel {
    EncryptionOnly
    CertificateValidation
    DomainValidation
}

# ExchangeCmdlets.ps1: test doubles for the Exchange cmdlets coexist drives (ExchangeOnlineManagement / Exchange Remote PowerShell),
# one advanced function per cmdlet with the parameters documented in MicrosoftDocs/office-docs-powershell,
# exchange/exchange-ps/ExchangePowerShell/<Cmdlet>.md (snapshot 93336da). Dot-sourced inside a dynamic module that defines
# Invoke-ExchangeDouble. Exchange types are mapped to PowerShell ones (comment above each mapped parameter); parameters the docs
# reserve for internal Microsoft use, and ones for Exchange 2010/2013 only, are left out.

# Get-AcceptedDomain.md: on-premises and cloud (EXO-only parameters marked). coexist sends Identity (optional), for both the tenant and the source: documented.
function Get-AcceptedDomain {
    [CmdletBinding()]
    param(
        # AcceptedDomainIdParameter -> [object]
        [Parameter(Position = 1)]
        [object] $Identity,
        # on-premises only; Fqdn -> [object]
        [Parameter()]
        [object] $DomainController,
        # EXO only; Unlimited -> [object]: 'Unlimited' or a positive count
        [Parameter()]
        [ValidateScript({ $_ -eq 'Unlimited' -or ($_ -as [int]) -gt 0 })]
        [object] $ResultSize
    )
    Invoke-ExchangeDouble -Caller $PSCmdlet -Name $MyInvocation.MyCommand.Name -Bound $PSBoundParameters
}

# Set-AcceptedDomain.md: coexist's DomainType enum admits ExternalRelay, which the docs call "available only in on-premises Exchange", though SetAcceptedDomain runs on the EXO tenant; OutboundOnly is cloud-only (EXO tenant: fine).
function Set-AcceptedDomain {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        # AcceptedDomainIdParameter -> [object]
        [Parameter(Mandatory = $true, Position = 1)]
        [object] $Identity,
        [Parameter()]
        [bool] $AddressBookEnabled,
        [Parameter()]
        [bool] $CanHaveCloudCache,
        # Fqdn -> [object]
        [Parameter()]
        [object] $DomainController,
        # AcceptedDomainType -> [string]
        [Parameter()]
        [ValidateSet('Authoritative', 'InternalRelay', 'ExternalRelay')]
        [string] $DomainType,
        [Parameter()]
        [bool] $MakeDefault,
        [Parameter()]
        [string] $MailFlowRegion,
        [Parameter()]
        [bool] $MatchSubDomains,
        [Parameter()]
        [string] $Name,
        [Parameter()]
        [bool] $OutboundOnly,
        [Parameter()]
        [bool] $SendingFromDomainDisabled,
        [Parameter()]
        [bool] $SendingToDomainDisabled
    )
    Invoke-ExchangeDouble -Caller $PSCmdlet -Name $MyInvocation.MyCommand.Name -Bound $PSBoundParameters
}

# Get-DistributionGroup.md: coexist sends Identity: documented (Identity set, Position 1).
function Get-DistributionGroup {
    [CmdletBinding(DefaultParameterSetName = 'Identity')]
    param(
        # DistributionGroupIdParameter -> [object]
        [Parameter(Position = 1, ParameterSetName = 'Identity')]
        [object] $Identity,
        [Parameter(ParameterSetName = 'AnrSet')]
        [string] $Anr,
        [Parameter()]
        [pscredential] $Credential,
        # Fqdn -> [object]
        [Parameter()]
        [object] $DomainController,
        [Parameter()]
        [string] $Filter,
        [Parameter()]
        [switch] $IgnoreDefaultScope,
        [Parameter()]
        [switch] $IncludeAcceptMessagesOnlyFromDLMembersWithDisplayNames,
        [Parameter()]
        [switch] $IncludeAcceptMessagesOnlyFromSendersOrMembersWithDisplayNames,
        [Parameter()]
        [switch] $IncludeAcceptMessagesOnlyFromWithDisplayNames,
        [Parameter()]
        [switch] $IncludeBypassModerationFromSendersOrMembersWithDisplayNames,
        [Parameter()]
        [switch] $IncludeGrantSendOnBehalfToWithDisplayNames,
        [Parameter()]
        [switch] $IncludeManagedByWithDisplayNames,
        [Parameter()]
        [switch] $IncludeModeratedByWithDisplayNames,
        # GeneralRecipientIdParameter -> [object]
        [Parameter(ParameterSetName = 'ManagedBySet')]
        [object] $ManagedBy,
        # OrganizationalUnitIdParameter -> [object]
        [Parameter()]
        [object] $OrganizationalUnit,
        [Parameter()]
        [switch] $ReadFromDomainController,
        # RecipientTypeDetails[] -> [string[]]
        [Parameter()]
        [ValidateSet('MailNonUniversalGroup', 'MailUniversalDistributionGroup', 'MailUniversalSecurityGroup', 'RoomList')]
        [string[]] $RecipientTypeDetails,
        # Unlimited -> [object]: 'Unlimited' or a positive count
        [Parameter()]
        [ValidateScript({ $_ -eq 'Unlimited' -or ($_ -as [int]) -gt 0 })]
        [object] $ResultSize,
        [Parameter()]
        [string] $SortBy
    )
    Invoke-ExchangeDouble -Caller $PSCmdlet -Name $MyInvocation.MyCommand.Name -Bound $PSBoundParameters
}

# New-DistributionGroup.md: all ten parameters coexist sends are documented with matching types and value sets (Type, MemberJoinRestriction, MemberDepartRestriction).
function New-DistributionGroup {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory = $true, Position = 1)]
        [string] $Name,
        [Parameter()]
        [string] $Alias,
        # MailboxIdParameter -> [object]
        [Parameter()]
        [object] $ArbitrationMailbox,
        [Parameter()]
        [bool] $BccBlocked,
        [Parameter()]
        [bool] $BypassNestedModerationEnabled,
        [Parameter()]
        [switch] $CopyOwnerToMember,
        # MultiValuedProperty -> [object[]]
        [Parameter()]
        [object[]] $Description,
        [Parameter()]
        [string] $DisplayName,
        # Fqdn -> [object]
        [Parameter()]
        [object] $DomainController,
        [Parameter()]
        [switch] $HiddenGroupMembershipEnabled,
        [Parameter()]
        [switch] $IgnoreNamingPolicy,
        # MultiValuedProperty -> [object[]]
        [Parameter()]
        [object[]] $ManagedBy,
        # MemberUpdateType -> [string]
        [Parameter()]
        [ValidateSet('Open', 'Closed')]
        [string] $MemberDepartRestriction,
        # MemberUpdateType -> [string]
        [Parameter()]
        [ValidateSet('Open', 'Closed', 'ApprovalRequired')]
        [string] $MemberJoinRestriction,
        # MultiValuedProperty -> [object[]]
        [Parameter()]
        [object[]] $Members,
        # MultiValuedProperty -> [object[]]
        [Parameter()]
        [object[]] $ModeratedBy,
        [Parameter()]
        [bool] $ModerationEnabled,
        [Parameter()]
        [string] $Notes,
        # OrganizationalUnitIdParameter -> [object]
        [Parameter()]
        [object] $OrganizationalUnit,
        # SmtpAddress -> [object]
        [Parameter()]
        [object] $PrimarySmtpAddress,
        [Parameter()]
        [bool] $RequireSenderAuthenticationEnabled,
        [Parameter()]
        [switch] $RoomList,
        [Parameter()]
        [string] $SamAccountName,
        # TransportModerationNotificationFlags -> [string]
        [Parameter()]
        [ValidateSet('Always', 'Internal', 'Never')]
        [string] $SendModerationNotifications,
        # GroupType -> [string]
        [Parameter()]
        [ValidateSet('Distribution', 'Security')]
        [string] $Type
    )
    Invoke-ExchangeDouble -Caller $PSCmdlet -Name $MyInvocation.MyCommand.Name -Bound $PSBoundParameters
}

# Get-Group.md: coexist sends Identity (the group's GUID): documented (Identity set, Position 1).
function Get-Group {
    [CmdletBinding(DefaultParameterSetName = 'Identity')]
    param(
        # GroupIdParameter -> [object]
        [Parameter(Position = 1, ParameterSetName = 'Identity')]
        [object] $Identity,
        [Parameter(ParameterSetName = 'AnrSet')]
        [string] $Anr,
        # on-premises only
        [Parameter()]
        [pscredential] $Credential,
        # on-premises only; Fqdn -> [object]
        [Parameter()]
        [object] $DomainController,
        [Parameter()]
        [string] $Filter,
        # on-premises only
        [Parameter()]
        [switch] $IgnoreDefaultScope,
        # OrganizationalUnitIdParameter -> [object]
        [Parameter()]
        [object] $OrganizationalUnit,
        # on-premises only
        [Parameter()]
        [switch] $ReadFromDomainController,
        # RecipientTypeDetails[] -> [string[]]
        [Parameter()]
        [ValidateSet('MailNonUniversalGroup', 'MailUniversalDistributionGroup', 'MailUniversalSecurityGroup', 'NonUniversalGroup', 'RoomList', 'UniversalDistributionGroup', 'UniversalSecurityGroup')]
        [string[]] $RecipientTypeDetails,
        # Unlimited -> [object]: 'Unlimited' or a positive count
        [Parameter()]
        [ValidateScript({ $_ -eq 'Unlimited' -or ($_ -as [int]) -gt 0 })]
        [object] $ResultSize,
        [Parameter()]
        [string] $SortBy
    )
    Invoke-ExchangeDouble -Caller $PSCmdlet -Name $MyInvocation.MyCommand.Name -Bound $PSBoundParameters
}

# Set-Group.md: coexist sends Identity (the GUID), Notes and BypassSecurityGroupManagerCheck (a SwitchParameter; coexist's spec types it z.boolean(), bound as -X:$true): documented.
function Set-Group {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        # GroupIdParameter -> [object]
        [Parameter(Mandatory = $true, Position = 1)]
        [object] $Identity,
        [Parameter()]
        [switch] $BypassSecurityGroupManagerCheck,
        # MultiValuedProperty -> [object[]]
        [Parameter()]
        [object[]] $Description,
        [Parameter()]
        [string] $DisplayName,
        # on-premises only; Fqdn -> [object]
        [Parameter()]
        [object] $DomainController,
        # on-premises only
        [Parameter()]
        [switch] $IgnoreDefaultScope,
        [Parameter()]
        [bool] $IsHierarchicalGroup,
        # GeneralRecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $ManagedBy,
        [Parameter()]
        [string] $Name,
        [Parameter()]
        [string] $Notes,
        [Parameter()]
        [string] $PhoneticDisplayName,
        [Parameter()]
        [int] $SeniorityIndex,
        [Parameter()]
        [string] $SimpleDisplayName,
        [Parameter()]
        [switch] $Universal,
        # SmtpAddress -> [object]
        [Parameter()]
        [object] $WindowsEmailAddress
    )
    Invoke-ExchangeDouble -Caller $PSCmdlet -Name $MyInvocation.MyCommand.Name -Bound $PSBoundParameters
}

# Set-DistributionGroup.md: BypassSecurityGroupManagerCheck is a SwitchParameter, coexist's spec types it z.boolean() (binds as -X:$true/$false); the rest is documented.
function Set-DistributionGroup {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        # DistributionGroupIdParameter -> [object]
        [Parameter(Mandatory = $true, Position = 1)]
        [object] $Identity,
        # MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $AcceptMessagesOnlyFrom,
        # MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $AcceptMessagesOnlyFromDLMembers,
        # MultiValuedProperty -> [object[]]
        [Parameter()]
        [object[]] $AcceptMessagesOnlyFromSendersOrMembers,
        [Parameter()]
        [string] $Alias,
        # MailboxIdParameter -> [object]
        [Parameter()]
        [object] $ArbitrationMailbox,
        [Parameter()]
        [bool] $BccBlocked,
        # MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $BypassModerationFromSendersOrMembers,
        [Parameter()]
        [bool] $BypassNestedModerationEnabled,
        [Parameter()]
        [switch] $BypassSecurityGroupManagerCheck,
        [Parameter()]
        [bool] $CreateDTMFMap,
        [Parameter()]
        [string] $CustomAttribute1,
        [Parameter()]
        [string] $CustomAttribute10,
        [Parameter()]
        [string] $CustomAttribute11,
        [Parameter()]
        [string] $CustomAttribute12,
        [Parameter()]
        [string] $CustomAttribute13,
        [Parameter()]
        [string] $CustomAttribute14,
        [Parameter()]
        [string] $CustomAttribute15,
        [Parameter()]
        [string] $CustomAttribute2,
        [Parameter()]
        [string] $CustomAttribute3,
        [Parameter()]
        [string] $CustomAttribute4,
        [Parameter()]
        [string] $CustomAttribute5,
        [Parameter()]
        [string] $CustomAttribute6,
        [Parameter()]
        [string] $CustomAttribute7,
        [Parameter()]
        [string] $CustomAttribute8,
        [Parameter()]
        [string] $CustomAttribute9,
        # MultiValuedProperty -> [object[]]
        [Parameter()]
        [object[]] $Description,
        [Parameter()]
        [string] $DisplayName,
        # Fqdn -> [object]
        [Parameter()]
        [object] $DomainController,
        # ProxyAddressCollection -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $EmailAddresses,
        [Parameter()]
        [bool] $EmailAddressPolicyEnabled,
        [Parameter()]
        [string] $ExpansionServer,
        # MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $ExtensionCustomAttribute1,
        # MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $ExtensionCustomAttribute2,
        # MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $ExtensionCustomAttribute3,
        # MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $ExtensionCustomAttribute4,
        # MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $ExtensionCustomAttribute5,
        [Parameter()]
        [switch] $ForceUpgrade,
        # MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $GrantSendOnBehalfTo,
        [Parameter()]
        [bool] $HiddenFromAddressListsEnabled,
        [Parameter()]
        [switch] $HiddenGroupMembershipEnabled,
        [Parameter()]
        [switch] $IgnoreDefaultScope,
        [Parameter()]
        [switch] $IgnoreNamingPolicy,
        [Parameter()]
        [string] $MailTip,
        # MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $MailTipTranslations,
        # MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $ManagedBy,
        # Unlimited<ByteQuantifiedSize> -> [object]
        [Parameter()]
        [object] $MaxReceiveSize,
        # Unlimited<ByteQuantifiedSize> -> [object]
        [Parameter()]
        [object] $MaxSendSize,
        # MemberUpdateType -> [string]
        [Parameter()]
        [ValidateSet('Open', 'Closed')]
        [string] $MemberDepartRestriction,
        # MemberUpdateType -> [string]
        [Parameter()]
        [ValidateSet('Open', 'Closed', 'ApprovalRequired')]
        [string] $MemberJoinRestriction,
        # MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $ModeratedBy,
        [Parameter()]
        [bool] $ModerationEnabled,
        [Parameter()]
        [string] $Name,
        # SmtpAddress -> [object]
        [Parameter()]
        [object] $PrimarySmtpAddress,
        # MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $RejectMessagesFrom,
        # MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $RejectMessagesFromDLMembers,
        # MultiValuedProperty -> [object[]]
        [Parameter()]
        [object[]] $RejectMessagesFromSendersOrMembers,
        [Parameter()]
        [bool] $ReportToManagerEnabled,
        [Parameter()]
        [bool] $ReportToOriginatorEnabled,
        [Parameter()]
        [bool] $RequireSenderAuthenticationEnabled,
        [Parameter()]
        [switch] $ResetMigrationToUnifiedGroup,
        [Parameter()]
        [switch] $RoomList,
        [Parameter()]
        [string] $SamAccountName,
        # TransportModerationNotificationFlags -> [string]
        [Parameter()]
        [ValidateSet('Always', 'Internal', 'Never')]
        [string] $SendModerationNotifications,
        [Parameter()]
        [bool] $SendOofMessageToOriginatorEnabled,
        [Parameter()]
        [string] $SimpleDisplayName,
        # MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $UMDtmfMap,
        [Parameter()]
        [switch] $UpdateMemberCount,
        # SmtpAddress -> [object]
        [Parameter()]
        [object] $WindowsEmailAddress
    )
    Invoke-ExchangeDouble -Caller $PSCmdlet -Name $MyInvocation.MyCommand.Name -Bound $PSBoundParameters
}

# Remove-DistributionGroup.md: BypassSecurityGroupManagerCheck is a SwitchParameter (coexist: z.boolean()); Identity and Confirm documented.
function Remove-DistributionGroup {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param(
        # DistributionGroupIdParameter -> [object]
        [Parameter(Mandatory = $true, Position = 1)]
        [object] $Identity,
        [Parameter()]
        [switch] $BypassSecurityGroupManagerCheck,
        # Fqdn -> [object]
        [Parameter()]
        [object] $DomainController,
        [Parameter()]
        [switch] $IgnoreDefaultScope
    )
    Invoke-ExchangeDouble -Caller $PSCmdlet -Name $MyInvocation.MyCommand.Name -Bound $PSBoundParameters
}

# Get-DistributionGroupMember.md: on-premises and cloud (EXO-only parameters marked). coexist sends Identity and ResultSize: documented.
function Get-DistributionGroupMember {
    [CmdletBinding()]
    param(
        # DistributionGroupMemberIdParameter -> [object]
        [Parameter(Mandatory = $true, Position = 1)]
        [object] $Identity,
        [Parameter()]
        [pscredential] $Credential,
        # on-premises only; Fqdn -> [object]
        [Parameter()]
        [object] $DomainController,
        # on-premises only
        [Parameter()]
        [switch] $IgnoreDefaultScope,
        # EXO only
        [Parameter()]
        [switch] $IncludeSoftDeletedObjects,
        # on-premises only
        [Parameter()]
        [switch] $ReadFromDomainController,
        # Unlimited -> [object]: 'Unlimited' or a positive count
        [Parameter()]
        [ValidateScript({ $_ -eq 'Unlimited' -or ($_ -as [int]) -gt 0 })]
        [object] $ResultSize
    )
    Invoke-ExchangeDouble -Caller $PSCmdlet -Name $MyInvocation.MyCommand.Name -Bound $PSBoundParameters
}

# Add-DistributionGroupMember.md: -Member is not Required in the docs (coexist always sends it); BypassSecurityGroupManagerCheck is a SwitchParameter (coexist: z.boolean()).
function Add-DistributionGroupMember {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        # DistributionGroupIdParameter -> [object]
        [Parameter(Mandatory = $true, Position = 1)]
        [object] $Identity,
        [Parameter()]
        [switch] $BypassSecurityGroupManagerCheck,
        # Fqdn -> [object]
        [Parameter()]
        [object] $DomainController,
        # RecipientWithAdUserGroupIdParameter -> [object]
        [Parameter()]
        [object] $Member
    )
    Invoke-ExchangeDouble -Caller $PSCmdlet -Name $MyInvocation.MyCommand.Name -Bound $PSBoundParameters
}

# Remove-DistributionGroupMember.md: -Member is not Required in the docs (coexist always sends it); BypassSecurityGroupManagerCheck is a SwitchParameter (coexist: z.boolean()).
function Remove-DistributionGroupMember {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param(
        # DistributionGroupIdParameter -> [object]
        [Parameter(Mandatory = $true, Position = 1)]
        [object] $Identity,
        [Parameter()]
        [switch] $BypassSecurityGroupManagerCheck,
        # Fqdn -> [object]
        [Parameter()]
        [object] $DomainController,
        # GeneralRecipientIdParameter -> [object]
        [Parameter()]
        [object] $Member
    )
    Invoke-ExchangeDouble -Caller $PSCmdlet -Name $MyInvocation.MyCommand.Name -Bound $PSBoundParameters
}

# Update-DistributionGroupMember.md: "This cmdlet has a built-in pause" (ConfirmImpact High here); -Members not Required, at most 10000 entries; BypassSecurityGroupManagerCheck is a SwitchParameter (coexist: z.boolean()).
function Update-DistributionGroupMember {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param(
        # DistributionGroupIdParameter -> [object]
        [Parameter(Mandatory = $true, Position = 1)]
        [object] $Identity,
        [Parameter()]
        [switch] $BypassSecurityGroupManagerCheck,
        # Fqdn -> [object]
        [Parameter()]
        [object] $DomainController,
        # MultiValuedProperty -> [object[]]
        [Parameter()]
        [object[]] $Members
    )
    Invoke-ExchangeDouble -Caller $PSCmdlet -Name $MyInvocation.MyCommand.Name -Bound $PSBoundParameters
}

# Get-Recipient.md: coexist sends Identity (Identity set) and ResultSize: documented. DefaultParameterSetName is not documented; Identity assumed.
function Get-Recipient {
    [CmdletBinding(DefaultParameterSetName = 'Identity')]
    param(
        # RecipientIdParameter -> [object]
        [Parameter(Position = 1, ParameterSetName = 'Identity')]
        [object] $Identity,
        [Parameter(ParameterSetName = 'AnrSet')]
        [string] $Anr,
        # AuthenticationType -> [string]
        [Parameter(ParameterSetName = 'AnrSet')]
        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'RecipientPreviewFilterSet')]
        [ValidateSet('Federated', 'Managed')]
        [string] $AuthenticationType,
        [Parameter()]
        [pscredential] $Credential,
        # DatabaseIdParameter -> [object]; SYNTAX also lists it under AnrSet; its yaml block says DatabaseSet only (used here)
        [Parameter(ParameterSetName = 'DatabaseSet')]
        [object] $Database,
        # Fqdn -> [object]
        [Parameter()]
        [object] $DomainController,
        [Parameter()]
        [string] $Filter,
        [Parameter()]
        [switch] $IgnoreDefaultScope,
        [Parameter(ParameterSetName = 'AnrSet')]
        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'RecipientPreviewFilterSet')]
        [switch] $IncludeManagerWithDisplayName,
        [Parameter()]
        [switch] $IncludeSoftDeletedRecipients,
        # OrganizationalUnitIdParameter -> [object]
        [Parameter()]
        [object] $OrganizationalUnit,
        [Parameter()]
        [switch] $ReadFromDomainController,
        [Parameter(ParameterSetName = 'RecipientPreviewFilterSet')]
        [string] $RecipientPreviewFilter,
        # RecipientType[] -> [string[]]
        [Parameter()]
        [ValidateSet('DynamicDistributionGroup', 'MailContact', 'MailNonUniversalGroup', 'MailUniversalDistributionGroup', 'MailUniversalSecurityGroup', 'MailUser', 'PublicFolder', 'UserMailbox')]
        [string[]] $RecipientType,
        # RecipientTypeDetails[] -> [string[]]
        [Parameter()]
        [ValidateSet('DiscoveryMailbox', 'DynamicDistributionGroup', 'EquipmentMailbox', 'GroupMailbox', 'GuestMailUser', 'LegacyMailbox', 'LinkedMailbox', 'LinkedRoomMailbox', 'MailContact', 'MailForestContact', 'MailNonUniversalGroup', 'MailUniversalDistributionGroup', 'MailUniversalSecurityGroup', 'MailUser', 'PublicFolder', 'PublicFolderMailbox', 'RemoteEquipmentMailbox', 'RemoteRoomMailbox', 'RemoteSharedMailbox', 'RemoteTeamMailbox', 'RemoteUserMailbox', 'RoomList', 'RoomMailbox', 'SchedulingMailbox', 'SharedMailbox', 'SharedWithMailUser', 'TeamMailbox', 'UserMailbox')]
        [string[]] $RecipientTypeDetails,
        # Unlimited -> [object]: 'Unlimited' or a positive count
        [Parameter()]
        [ValidateScript({ $_ -eq 'Unlimited' -or ($_ -as [int]) -gt 0 })]
        [object] $ResultSize,
        [Parameter()]
        [string] $SortBy
    )
    Invoke-ExchangeDouble -Caller $PSCmdlet -Name $MyInvocation.MyCommand.Name -Bound $PSBoundParameters
}

# Get-Mailbox.md: on-premises and cloud (EXO-only / on-premises-only parameters marked). coexist sends Identity and ResultSize: documented. DefaultParameterSetName not documented; Identity assumed.
function Get-Mailbox {
    [CmdletBinding(DefaultParameterSetName = 'Identity')]
    param(
        # MailboxIdParameter -> [object]
        [Parameter(Position = 1, ParameterSetName = 'Identity')]
        [object] $Identity,
        [Parameter(ParameterSetName = 'AnrSet')]
        [string] $Anr,
        # on-premises only
        [Parameter(ParameterSetName = 'AnrSet')]
        [Parameter(ParameterSetName = 'DatabaseSet')]
        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'ServerSet')]
        [switch] $Arbitration,
        [Parameter()]
        [switch] $Archive,
        # on-premises only
        [Parameter(ParameterSetName = 'AnrSet')]
        [Parameter(ParameterSetName = 'DatabaseSet')]
        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'ServerSet')]
        [switch] $AuditLog,
        # on-premises only
        [Parameter(ParameterSetName = 'AnrSet')]
        [Parameter(ParameterSetName = 'DatabaseSet')]
        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'ServerSet')]
        [switch] $AuxAuditLog,
        # on-premises only
        [Parameter(ParameterSetName = 'AnrSet')]
        [Parameter(ParameterSetName = 'DatabaseSet')]
        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'ServerSet')]
        [pscredential] $Credential,
        # on-premises only; DatabaseIdParameter -> [object]
        [Parameter(ParameterSetName = 'DatabaseSet')]
        [object] $Database,
        # on-premises only; Fqdn -> [object]
        [Parameter(ParameterSetName = 'AnrSet')]
        [Parameter(ParameterSetName = 'DatabaseSet')]
        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'ServerSet')]
        [object] $DomainController,
        [Parameter()]
        [string] $Filter,
        [Parameter()]
        [switch] $GroupMailbox,
        # on-premises only; parameter sets: yaml and SYNTAX disagree, the union is used
        [Parameter(ParameterSetName = 'AnrSet')]
        [Parameter(ParameterSetName = 'DatabaseSet')]
        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'ServerSet')]
        [switch] $IgnoreDefaultScope,
        # EXO only
        [Parameter(ParameterSetName = 'AnrSet')]
        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'MailboxPlanSet')]
        [switch] $InactiveMailboxOnly,
        # EXO only
        [Parameter(ParameterSetName = 'AnrSet')]
        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'MailboxPlanSet')]
        [switch] $IncludeAcceptMessagesOnlyFromDLMembersWithDisplayNames,
        # EXO only
        [Parameter(ParameterSetName = 'AnrSet')]
        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'MailboxPlanSet')]
        [switch] $IncludeAcceptMessagesOnlyFromSendersOrMembersWithDisplayNames,
        # EXO only
        [Parameter(ParameterSetName = 'AnrSet')]
        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'MailboxPlanSet')]
        [switch] $IncludeAcceptMessagesOnlyFromWithDisplayNames,
        # EXO only
        [Parameter(ParameterSetName = 'AnrSet')]
        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'MailboxPlanSet')]
        [switch] $IncludeEmailAddressDisplayNames,
        # EXO only
        [Parameter(ParameterSetName = 'AnrSet')]
        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'MailboxPlanSet')]
        [switch] $IncludeForwardingAddressWithDisplayNames,
        # EXO only
        [Parameter(ParameterSetName = 'AnrSet')]
        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'MailboxPlanSet')]
        [switch] $IncludeGrantSendOnBehalfToWithDisplayNames,
        # EXO only
        [Parameter(ParameterSetName = 'AnrSet')]
        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'MailboxPlanSet')]
        [switch] $IncludeInactiveMailbox,
        # EXO only; MailboxPlanIdParameter -> [object]
        [Parameter(ParameterSetName = 'MailboxPlanSet')]
        [object] $MailboxPlan,
        [Parameter()]
        [switch] $Migration,
        # on-premises only
        [Parameter(ParameterSetName = 'AnrSet')]
        [Parameter(ParameterSetName = 'DatabaseSet')]
        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'ServerSet')]
        [switch] $Monitoring,
        # OrganizationalUnitIdParameter -> [object]
        [Parameter()]
        [object] $OrganizationalUnit,
        [Parameter()]
        [switch] $PublicFolder,
        # on-premises only
        [Parameter(ParameterSetName = 'AnrSet')]
        [Parameter(ParameterSetName = 'DatabaseSet')]
        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'ServerSet')]
        [switch] $ReadFromDomainController,
        # RecipientTypeDetails[] -> [string[]]
        [Parameter()]
        [ValidateSet('DiscoveryMailbox', 'EquipmentMailbox', 'GroupMailbox', 'LegacyMailbox', 'LinkedMailbox', 'LinkedRoomMailbox', 'RoomMailbox', 'SchedulingMailbox', 'SharedMailbox', 'TeamMailbox', 'UserMailbox')]
        [string[]] $RecipientTypeDetails,
        # on-premises only
        [Parameter(ParameterSetName = 'AnrSet')]
        [Parameter(ParameterSetName = 'DatabaseSet')]
        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'ServerSet')]
        [switch] $RemoteArchive,
        # Unlimited -> [object]: 'Unlimited' or a positive count
        [Parameter()]
        [ValidateScript({ $_ -eq 'Unlimited' -or ($_ -as [int]) -gt 0 })]
        [object] $ResultSize,
        # on-premises only; ServerIdParameter -> [object]
        [Parameter(ParameterSetName = 'ServerSet')]
        [object] $Server,
        # EXO only
        [Parameter(ParameterSetName = 'AnrSet')]
        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'MailboxPlanSet')]
        [switch] $SoftDeletedMailbox,
        [Parameter()]
        [string] $SortBy
    )
    Invoke-ExchangeDouble -Caller $PSCmdlet -Name $MyInvocation.MyCommand.Name -Bound $PSBoundParameters
}

# Set-Mailbox.md: on-premises and cloud (EXO-only / on-premises-only parameters marked). coexist sends Identity, ForwardingSmtpAddress/ForwardingAddress ($null documented), DeliverToMailboxAndForward, EmailAddresses @{Add;Remove}: documented.
function Set-Mailbox {
    [CmdletBinding(DefaultParameterSetName = 'Identity', SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        # MailboxIdParameter -> [object]
        [Parameter(Mandatory = $true, Position = 1)]
        [object] $Identity,
        # MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $AcceptMessagesOnlyFrom,
        # MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $AcceptMessagesOnlyFromDLMembers,
        # MultiValuedProperty -> [object[]]
        [Parameter()]
        [object[]] $AcceptMessagesOnlyFromSendersOrMembers,
        [Parameter()]
        [bool] $AccountDisabled,
        # AddressBookMailboxPolicyIdParameter -> [object]
        [Parameter()]
        [object] $AddressBookPolicy,
        [Parameter()]
        [string] $Alias,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [bool] $AntispamBypassEnabled,
        [Parameter()]
        [switch] $ApplyMandatoryProperties,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [switch] $Arbitration,
        # on-premises only; MailboxIdParameter -> [object]
        [Parameter(ParameterSetName = 'Identity')]
        [object] $ArbitrationMailbox,
        # on-premises only; DatabaseIdParameter -> [object]
        [Parameter(ParameterSetName = 'Identity')]
        [object] $ArchiveDatabase,
        # on-premises only; SmtpDomain -> [object]
        [Parameter(ParameterSetName = 'Identity')]
        [object] $ArchiveDomain,
        # MultiValuedProperty -> [object[]]
        [Parameter()]
        [object[]] $ArchiveName,
        # on-premises only; Unlimited<ByteQuantifiedSize> -> [object]
        [Parameter(ParameterSetName = 'Identity')]
        [object] $ArchiveQuota,
        # on-premises only; Unlimited<ByteQuantifiedSize> -> [object]
        [Parameter(ParameterSetName = 'Identity')]
        [object] $ArchiveWarningQuota,
        # MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $AuditAdmin,
        # MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $AuditDelegate,
        [Parameter()]
        [bool] $AuditEnabled,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [switch] $AuditLog,
        # EnhancedTimeSpan -> [object]
        [Parameter()]
        [object] $AuditLogAgeLimit,
        # MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $AuditOwner,
        # EXO only
        [Parameter()]
        [bool] $AutoArchivingEnabled,
        # on-premises only; parameter sets: yaml and SYNTAX disagree, the union is used
        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'ExcludeFromAllOrgHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromOrgHolds')]
        [Parameter(ParameterSetName = 'RecalculateInactiveMailbox')]
        [Parameter(ParameterSetName = 'RemoveDelayHoldApplied')]
        [switch] $AuxAuditLog,
        # MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $BypassModerationFromSendersOrMembers,
        # on-premises only; Unlimited<ByteQuantifiedSize> -> [object]
        [Parameter(ParameterSetName = 'Identity')]
        [object] $CalendarLoggingQuota,
        [Parameter()]
        [bool] $CalendarRepairDisabled,
        [Parameter()]
        [bool] $CalendarVersionStoreDisabled,
        # EXO only; parameter sets: yaml and SYNTAX disagree, the union is used
        [Parameter(ParameterSetName = 'ExcludeFromAllHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromAllOrgHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromOrgHolds')]
        [Parameter(ParameterSetName = 'IsExchangeCloudManaged')]
        [Parameter(ParameterSetName = 'ProvideConsent')]
        [Parameter(ParameterSetName = 'RecalculateInactiveMailbox')]
        [Parameter(ParameterSetName = 'RemoveComplianceTagHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDelayHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDelayReleaseHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDisabledArchive')]
        [Parameter(ParameterSetName = 'RemoveOrphanedHolds')]
        [switch] $ClearThrottlingPolicyAssignment,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [bool] $ClientExtensions,
        # on-premises only
        [Parameter()]
        [bool] $CreateDTMFMap,
        [Parameter()]
        [string] $CustomAttribute1,
        [Parameter()]
        [string] $CustomAttribute10,
        [Parameter()]
        [string] $CustomAttribute11,
        [Parameter()]
        [string] $CustomAttribute12,
        [Parameter()]
        [string] $CustomAttribute13,
        [Parameter()]
        [string] $CustomAttribute14,
        [Parameter()]
        [string] $CustomAttribute15,
        [Parameter()]
        [string] $CustomAttribute2,
        [Parameter()]
        [string] $CustomAttribute3,
        [Parameter()]
        [string] $CustomAttribute4,
        [Parameter()]
        [string] $CustomAttribute5,
        [Parameter()]
        [string] $CustomAttribute6,
        [Parameter()]
        [string] $CustomAttribute7,
        [Parameter()]
        [string] $CustomAttribute8,
        [Parameter()]
        [string] $CustomAttribute9,
        # on-premises only; DatabaseIdParameter -> [object]
        [Parameter(ParameterSetName = 'Identity')]
        [object] $Database,
        # EXO only; DataEncryptionPolicyIdParameter -> [object]; parameter sets: yaml and SYNTAX disagree, the union is used
        [Parameter(ParameterSetName = 'ExcludeFromAllHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromAllOrgHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromOrgHolds')]
        [Parameter(ParameterSetName = 'IsExchangeCloudManaged')]
        [Parameter(ParameterSetName = 'ProvideConsent')]
        [Parameter(ParameterSetName = 'RecalculateInactiveMailbox')]
        [Parameter(ParameterSetName = 'RemoveComplianceTagHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDelayHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDelayReleaseHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDisabledArchive')]
        [Parameter(ParameterSetName = 'RemoveOrphanedHolds')]
        [object] $DataEncryptionPolicy,
        # EXO only; MultiValuedProperty -> [object[]]; parameter sets: yaml and SYNTAX disagree, the union is used
        [Parameter()]
        [object[]] $DefaultAuditSet,
        # RecipientIdParameter -> [object]
        [Parameter()]
        [object] $DefaultPublicFolderMailbox,
        [Parameter()]
        [bool] $DeliverToMailboxAndForward,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [bool] $DisableThrottling,
        [Parameter()]
        [string] $DisplayName,
        # on-premises only; Fqdn -> [object]
        [Parameter(ParameterSetName = 'Identity')]
        [object] $DomainController,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [bool] $DowngradeHighPriorityMessagesEnabled,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [int] $DumpsterMessagesPerFolderCountReceiveQuota,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [int] $DumpsterMessagesPerFolderCountWarningQuota,
        # EXO only; parameter sets: yaml and SYNTAX disagree, the union is used
        [Parameter(ParameterSetName = 'ExcludeFromAllHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromAllOrgHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromOrgHolds')]
        [Parameter(ParameterSetName = 'IsExchangeCloudManaged')]
        [Parameter(ParameterSetName = 'ProvideConsent')]
        [Parameter(ParameterSetName = 'RecalculateInactiveMailbox')]
        [Parameter(ParameterSetName = 'RemoveComplianceTagHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDelayHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDelayReleaseHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDisabledArchive')]
        [Parameter(ParameterSetName = 'RemoveOrphanedHolds')]
        [bool] $ElcProcessingDisabled,
        # EXO only; MultiValuedProperty -> [object[]]; parameter sets: yaml and SYNTAX disagree, the union is used
        [Parameter(ParameterSetName = 'ExcludeFromAllHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromAllOrgHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromOrgHolds')]
        [Parameter(ParameterSetName = 'IsExchangeCloudManaged')]
        [Parameter(ParameterSetName = 'ProvideConsent')]
        [Parameter(ParameterSetName = 'RecalculateInactiveMailbox')]
        [Parameter(ParameterSetName = 'RemoveComplianceTagHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDelayHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDelayReleaseHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDisabledArchive')]
        [Parameter(ParameterSetName = 'RemoveOrphanedHolds')]
        [object[]] $EmailAddressDisplayNames,
        # ProxyAddressCollection -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $EmailAddresses,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [bool] $EmailAddressPolicyEnabled,
        [Parameter()]
        [bool] $EnableRoomMailboxAccount,
        [Parameter()]
        [datetime] $EndDateForRetentionHold,
        # EXO only; parameter sets: yaml and SYNTAX disagree, the union is used
        [Parameter(ParameterSetName = 'ExcludeFromAllHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromAllOrgHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromOrgHolds')]
        [Parameter(ParameterSetName = 'IsExchangeCloudManaged')]
        [Parameter(ParameterSetName = 'ProvideConsent')]
        [Parameter(ParameterSetName = 'RecalculateInactiveMailbox')]
        [Parameter(ParameterSetName = 'RemoveComplianceTagHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDelayHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDelayReleaseHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDisabledArchive')]
        [Parameter(ParameterSetName = 'RemoveOrphanedHolds')]
        [string] $EnforcedTimestamps,
        # EXO only
        [Parameter(Mandatory = $true, ParameterSetName = 'ExcludeFromAllHolds')]
        [switch] $ExcludeFromAllHolds,
        # EXO only
        [Parameter(ParameterSetName = 'ExcludeFromAllOrgHolds')]
        [switch] $ExcludeFromAllOrgHolds,
        # EXO only
        [Parameter(ParameterSetName = 'ExcludeFromOrgHolds')]
        [string[]] $ExcludeFromOrgHolds,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [int] $ExtendedPropertiesCountQuota,
        # MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $ExtensionCustomAttribute1,
        # MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $ExtensionCustomAttribute2,
        # MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $ExtensionCustomAttribute3,
        # MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $ExtensionCustomAttribute4,
        # MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $ExtensionCustomAttribute5,
        # ExternalOofOptions -> [string]
        [Parameter()]
        [ValidateSet('External', 'InternalOnly')]
        [string] $ExternalOofOptions,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [int] $FolderHierarchyChildrenCountReceiveQuota,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [int] $FolderHierarchyChildrenCountWarningQuota,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [int] $FolderHierarchyDepthReceiveQuota,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [int] $FolderHierarchyDepthWarningQuota,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [int] $FoldersCountReceiveQuota,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [int] $FoldersCountWarningQuota,
        [Parameter()]
        [switch] $Force,
        # RecipientIdParameter -> [object]
        [Parameter()]
        [object] $ForwardingAddress,
        # ProxyAddress -> [object]
        [Parameter()]
        [object] $ForwardingSmtpAddress,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [bool] $GMGen,
        # MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $GrantSendOnBehalfTo,
        # EXO only; MailboxIdParameter -> [object]; parameter sets: yaml and SYNTAX disagree, the union is used
        [Parameter(ParameterSetName = 'ExcludeFromAllHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromAllOrgHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromOrgHolds')]
        [Parameter(ParameterSetName = 'IsExchangeCloudManaged')]
        [Parameter(ParameterSetName = 'ProvideConsent')]
        [Parameter(ParameterSetName = 'RecalculateInactiveMailbox')]
        [Parameter(ParameterSetName = 'RemoveComplianceTagHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDelayHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDelayReleaseHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDisabledArchive')]
        [Parameter(ParameterSetName = 'RemoveOrphanedHolds')]
        [object] $GroupMailbox,
        [Parameter()]
        [bool] $HiddenFromAddressListsEnabled,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [switch] $IgnoreDefaultScope,
        # on-premises only
        [Parameter()]
        [bool] $ImListMigrationCompleted,
        [Parameter()]
        [string] $ImmutableId,
        # EXO only; parameter sets: yaml and SYNTAX disagree, the union is used
        [Parameter(ParameterSetName = 'ExcludeFromAllHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromAllOrgHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromOrgHolds')]
        [Parameter(ParameterSetName = 'IsExchangeCloudManaged')]
        [Parameter(ParameterSetName = 'ProvideConsent')]
        [Parameter(ParameterSetName = 'RecalculateInactiveMailbox')]
        [Parameter(ParameterSetName = 'RemoveComplianceTagHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDelayHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDelayReleaseHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDisabledArchive')]
        [Parameter(ParameterSetName = 'RemoveOrphanedHolds')]
        [switch] $InactiveMailbox,
        # EXO only
        [Parameter(Mandatory = $true, ParameterSetName = 'IsExchangeCloudManaged')]
        [bool] $IsExchangeCloudManaged,
        [Parameter()]
        [bool] $IsExcludedFromServingHierarchy,
        # Unlimited<ByteQuantifiedSize> -> [object]
        [Parameter()]
        [object] $IssueWarningQuota,
        # MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $Languages,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [pscredential] $LinkedCredential,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [string] $LinkedDomainController,
        # on-premises only; UserIdParameter -> [object]
        [Parameter(ParameterSetName = 'Identity')]
        [object] $LinkedMasterAccount,
        [Parameter()]
        [datetime] $LitigationHoldDate,
        # Unlimited<ByteQuantifiedSize> -> [object]
        [Parameter()]
        [object] $LitigationHoldDuration,
        [Parameter()]
        [bool] $LitigationHoldEnabled,
        [Parameter()]
        [string] $LitigationHoldOwner,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [int] $MailboxMessagesPerFolderCountReceiveQuota,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [int] $MailboxMessagesPerFolderCountWarningQuota,
        # EXO only; parameter sets: yaml and SYNTAX disagree, the union is used
        [Parameter(ParameterSetName = 'ExcludeFromAllHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromAllOrgHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromOrgHolds')]
        [Parameter(ParameterSetName = 'IsExchangeCloudManaged')]
        [Parameter(ParameterSetName = 'ProvideConsent')]
        [Parameter(ParameterSetName = 'RecalculateInactiveMailbox')]
        [Parameter(ParameterSetName = 'RemoveComplianceTagHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDelayHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDelayReleaseHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDisabledArchive')]
        [Parameter(ParameterSetName = 'RemoveOrphanedHolds')]
        [string] $MailboxRegion,
        [Parameter()]
        [string] $MailTip,
        # MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $MailTipTranslations,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [bool] $Management,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [int] $MaxBlockedSenders,
        # Unlimited<ByteQuantifiedSize> -> [object]
        [Parameter()]
        [object] $MaxReceiveSize,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [int] $MaxSafeSenders,
        # Unlimited<ByteQuantifiedSize> -> [object]
        [Parameter()]
        [object] $MaxSendSize,
        [Parameter()]
        [bool] $MessageCopyForSendOnBehalfEnabled,
        [Parameter()]
        [bool] $MessageCopyForSentAsEnabled,
        # EXO only; parameter sets: yaml and SYNTAX disagree, the union is used
        [Parameter(ParameterSetName = 'ExcludeFromAllHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromAllOrgHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromOrgHolds')]
        [Parameter(ParameterSetName = 'IsExchangeCloudManaged')]
        [Parameter(ParameterSetName = 'ProvideConsent')]
        [Parameter(ParameterSetName = 'RecalculateInactiveMailbox')]
        [Parameter(ParameterSetName = 'RemoveComplianceTagHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDelayHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDelayReleaseHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDisabledArchive')]
        [Parameter(ParameterSetName = 'RemoveOrphanedHolds')]
        [bool] $MessageCopyForSMTPClientSubmissionEnabled,
        # on-premises only; parameter sets: yaml and SYNTAX disagree, the union is used
        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'ExcludeFromAllOrgHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromOrgHolds')]
        [Parameter(ParameterSetName = 'RecalculateInactiveMailbox')]
        [Parameter(ParameterSetName = 'RemoveDelayHoldApplied')]
        [bool] $MessageTracking,
        [Parameter()]
        [bool] $MessageTrackingReadStatusEnabled,
        # EXO only; SmtpAddress -> [object]; parameter sets: yaml and SYNTAX disagree, the union is used
        [Parameter(ParameterSetName = 'ExcludeFromAllHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromAllOrgHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromOrgHolds')]
        [Parameter(ParameterSetName = 'IsExchangeCloudManaged')]
        [Parameter(ParameterSetName = 'ProvideConsent')]
        [Parameter(ParameterSetName = 'RecalculateInactiveMailbox')]
        [Parameter(ParameterSetName = 'RemoveComplianceTagHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDelayHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDelayReleaseHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDisabledArchive')]
        [Parameter(ParameterSetName = 'RemoveOrphanedHolds')]
        [object] $MicrosoftOnlineServicesID,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [bool] $Migration,
        # MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $ModeratedBy,
        [Parameter()]
        [bool] $ModerationEnabled,
        [Parameter()]
        [string] $Name,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [securestring] $NewPassword,
        # EXO only; MultiValuedProperty -> [object[]]; parameter sets: yaml and SYNTAX disagree, the union is used
        [Parameter(ParameterSetName = 'ExcludeFromAllHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromAllOrgHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromOrgHolds')]
        [Parameter(ParameterSetName = 'IsExchangeCloudManaged')]
        [Parameter(ParameterSetName = 'ProvideConsent')]
        [Parameter(ParameterSetName = 'RecalculateInactiveMailbox')]
        [Parameter(ParameterSetName = 'RemoveComplianceTagHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDelayHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDelayReleaseHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDisabledArchive')]
        [Parameter(ParameterSetName = 'RemoveOrphanedHolds')]
        [object[]] $NonCompliantDevices,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [bool] $OABGen,
        [Parameter()]
        [string] $Office,
        # on-premises only; OfflineAddressBookIdParameter -> [object]
        [Parameter(ParameterSetName = 'Identity')]
        [object] $OfflineAddressBook,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [securestring] $OldPassword,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [bool] $OMEncryptionStore,
        [Parameter()]
        [securestring] $Password,
        # on-premises only; SmtpAddress -> [object]
        [Parameter(ParameterSetName = 'Identity')]
        [object] $PrimarySmtpAddress,
        # Unlimited<ByteQuantifiedSize> -> [object]
        [Parameter()]
        [object] $ProhibitSendQuota,
        # Unlimited<ByteQuantifiedSize> -> [object]
        [Parameter()]
        [object] $ProhibitSendReceiveQuota,
        # EXO only
        [Parameter(ParameterSetName = 'ProvideConsent')]
        [Parameter(ParameterSetName = 'RemoveComplianceTagHoldApplied')]
        [switch] $ProvideConsent,
        [Parameter()]
        [switch] $PublicFolder,
        # EXO only
        [Parameter(Mandatory = $true, ParameterSetName = 'RecalculateInactiveMailbox')]
        [switch] $RecalculateInactiveMailbox,
        # Unlimited<ByteQuantifiedSize> -> [object]; parameter sets: yaml and SYNTAX disagree, the union is used
        [Parameter()]
        [object] $RecipientLimits,
        # on-premises only; Unlimited<ByteQuantifiedSize> -> [object]
        [Parameter(ParameterSetName = 'Identity')]
        [object] $RecoverableItemsQuota,
        # on-premises only; Unlimited<ByteQuantifiedSize> -> [object]
        [Parameter(ParameterSetName = 'Identity')]
        [object] $RecoverableItemsWarningQuota,
        # MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $RejectMessagesFrom,
        # MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $RejectMessagesFromDLMembers,
        # MultiValuedProperty -> [object[]]
        [Parameter()]
        [object[]] $RejectMessagesFromSendersOrMembers,
        # EXO only
        [Parameter(Mandatory = $true, ParameterSetName = 'RemoveComplianceTagHoldApplied')]
        [switch] $RemoveComplianceTagHoldApplied,
        # EXO only
        [Parameter(Mandatory = $true, ParameterSetName = 'RemoveDelayHoldApplied')]
        [switch] $RemoveDelayHoldApplied,
        # EXO only
        [Parameter(Mandatory = $true, ParameterSetName = 'RemoveDelayReleaseHoldApplied')]
        [switch] $RemoveDelayReleaseHoldApplied,
        # EXO only
        [Parameter(Mandatory = $true, ParameterSetName = 'RemoveDisabledArchive')]
        [switch] $RemoveDisabledArchive,
        # EXO only; parameter sets: yaml and SYNTAX disagree, the union is used
        [Parameter(ParameterSetName = 'ExcludeFromAllHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromAllOrgHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromOrgHolds')]
        [Parameter(ParameterSetName = 'IsExchangeCloudManaged')]
        [Parameter(ParameterSetName = 'ProvideConsent')]
        [Parameter(ParameterSetName = 'RecalculateInactiveMailbox')]
        [Parameter(ParameterSetName = 'RemoveComplianceTagHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDelayHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDelayReleaseHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDisabledArchive')]
        [Parameter(ParameterSetName = 'RemoveOrphanedHolds')]
        [switch] $RemoveMailboxProvisioningConstraint,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [switch] $RemoveManagedFolderAndPolicy,
        # EXO only
        [Parameter(ParameterSetName = 'RemoveOrphanedHolds')]
        [string[]] $RemoveOrphanedHolds,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [switch] $RemovePicture,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [switch] $RemoveSpokenName,
        [Parameter()]
        [bool] $RequireSenderAuthenticationEnabled,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [bool] $ResetPasswordOnNextLogon,
        [Parameter()]
        [int] $ResourceCapacity,
        # MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $ResourceCustom,
        # EnhancedTimeSpan -> [object]
        [Parameter()]
        [object] $RetainDeletedItemsFor,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [bool] $RetainDeletedItemsUntilBackup,
        [Parameter()]
        [string] $RetentionComment,
        [Parameter()]
        [bool] $RetentionHoldEnabled,
        # MailboxPolicyIdParameter -> [object]
        [Parameter()]
        [object] $RetentionPolicy,
        [Parameter()]
        [string] $RetentionUrl,
        # MailboxPolicyIdParameter -> [object]
        [Parameter()]
        [object] $RoleAssignmentPolicy,
        [Parameter()]
        [securestring] $RoomMailboxPassword,
        # ByteQuantifiedSize -> [object]
        [Parameter()]
        [object] $RulesQuota,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [string] $SamAccountName,
        # EXO only; parameter sets: yaml and SYNTAX disagree, the union is used
        [Parameter(ParameterSetName = 'ExcludeFromAllHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromAllOrgHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromOrgHolds')]
        [Parameter(ParameterSetName = 'IsExchangeCloudManaged')]
        [Parameter(ParameterSetName = 'ProvideConsent')]
        [Parameter(ParameterSetName = 'RecalculateInactiveMailbox')]
        [Parameter(ParameterSetName = 'RemoveComplianceTagHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDelayHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDelayReleaseHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDisabledArchive')]
        [Parameter(ParameterSetName = 'RemoveOrphanedHolds')]
        [bool] $SchedulerAssistant,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [bool] $SCLDeleteEnabled,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [int] $SCLDeleteThreshold,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [bool] $SCLJunkEnabled,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [int] $SCLJunkThreshold,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [bool] $SCLQuarantineEnabled,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [int] $SCLQuarantineThreshold,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [bool] $SCLRejectEnabled,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [int] $SCLRejectThreshold,
        # on-premises only
        [Parameter()]
        [string] $SecondaryAddress,
        # on-premises only; UMDialPlanIdParameter -> [object]
        [Parameter()]
        [object] $SecondaryDialPlan,
        # TransportModerationNotificationFlags -> [string]
        [Parameter()]
        [ValidateSet('Always', 'Internal', 'Never')]
        [string] $SendModerationNotifications,
        # SharingPolicyIdParameter -> [object]
        [Parameter()]
        [object] $SharingPolicy,
        [Parameter()]
        [string] $SimpleDisplayName,
        [Parameter()]
        [bool] $SingleItemRecoveryEnabled,
        [Parameter()]
        [datetime] $StartDateForRetentionHold,
        # on-premises only; ThrottlingPolicyIdParameter -> [object]
        [Parameter(ParameterSetName = 'Identity')]
        [object] $ThrottlingPolicy,
        # ConvertibleMailboxSubType -> [string]
        [Parameter()]
        [ValidateSet('Equipment', 'Regular', 'Room', 'Shared', 'Workspace', 'Desk')]
        [string] $Type,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [bool] $UMDataStorage,
        # on-premises only; MultiValuedProperty -> [object]: a list, or @{Add=...; Remove=...}
        [Parameter()]
        [object] $UMDtmfMap,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [bool] $UMGrammar,
        # EXO only; UniqueRecipientsCountLimitLevelType -> [string]; the docs list no values; parameter sets: yaml and SYNTAX disagree, the union is used
        [Parameter(ParameterSetName = 'ExcludeFromAllHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromAllOrgHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromOrgHolds')]
        [Parameter(ParameterSetName = 'IsExchangeCloudManaged')]
        [Parameter(ParameterSetName = 'ProvideConsent')]
        [Parameter(ParameterSetName = 'RecalculateInactiveMailbox')]
        [Parameter(ParameterSetName = 'RemoveComplianceTagHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDelayHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDelayReleaseHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDisabledArchive')]
        [Parameter(ParameterSetName = 'RemoveOrphanedHolds')]
        [string] $UniqueRecipientsCountLimitLevel,
        # EXO only; parameter sets: yaml and SYNTAX disagree, the union is used
        [Parameter(ParameterSetName = 'ExcludeFromAllHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromAllOrgHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromOrgHolds')]
        [Parameter(ParameterSetName = 'IsExchangeCloudManaged')]
        [Parameter(ParameterSetName = 'ProvideConsent')]
        [Parameter(ParameterSetName = 'RecalculateInactiveMailbox')]
        [Parameter(ParameterSetName = 'RemoveComplianceTagHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDelayHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDelayReleaseHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDisabledArchive')]
        [Parameter(ParameterSetName = 'RemoveOrphanedHolds')]
        [bool] $UniqueUnrestrictedGroupsLimitEnabled,
        # EXO only; parameter sets: yaml and SYNTAX disagree, the union is used
        [Parameter(ParameterSetName = 'ExcludeFromAllHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromAllOrgHolds')]
        [Parameter(ParameterSetName = 'ExcludeFromOrgHolds')]
        [Parameter(ParameterSetName = 'IsExchangeCloudManaged')]
        [Parameter(ParameterSetName = 'ProvideConsent')]
        [Parameter(ParameterSetName = 'RecalculateInactiveMailbox')]
        [Parameter(ParameterSetName = 'RemoveComplianceTagHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDelayHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDelayReleaseHoldApplied')]
        [Parameter(ParameterSetName = 'RemoveDisabledArchive')]
        [Parameter(ParameterSetName = 'RemoveOrphanedHolds')]
        [switch] $UpdateEnforcedTimestamp,
        [Parameter()]
        [bool] $UseDatabaseQuotaDefaults,
        [Parameter()]
        [bool] $UseDatabaseRetentionDefaults,
        # MultiValuedProperty -> [object[]]
        [Parameter()]
        [object[]] $UserCertificate,
        # on-premises only
        [Parameter(ParameterSetName = 'Identity')]
        [string] $UserPrincipalName,
        # MultiValuedProperty -> [object[]]
        [Parameter()]
        [object[]] $UserSMimeCertificate,
        # SmtpAddress -> [object]
        [Parameter()]
        [object] $WindowsEmailAddress
    )
    Invoke-ExchangeDouble -Caller $PSCmdlet -Name $MyInvocation.MyCommand.Name -Bound $PSBoundParameters
}

# Get-OutboundConnector.md: cloud only. coexist sends Identity (optional): documented.
function Get-OutboundConnector {
    [CmdletBinding()]
    param(
        # OutboundConnectorIdParameter -> [object]
        [Parameter(Position = 1)]
        [object] $Identity,
        [Parameter()]
        [bool] $IncludeTestModeConnectors,
        [Parameter()]
        [bool] $IsTransportRuleScoped,
        # Unlimited -> [object]: 'Unlimited' or a positive count
        [Parameter()]
        [ValidateScript({ $_ -eq 'Unlimited' -or ($_ -as [int]) -gt 0 })]
        [object] $ResultSize
    )
    Invoke-ExchangeDouble -Caller $PSCmdlet -Name $MyInvocation.MyCommand.Name -Bound $PSBoundParameters
}

# New-OutboundConnector.md: cloud only. All parameters coexist sends are documented; TlsSettings $null (blank) is documented; $null for SmartHosts/RecipientDomains/TlsDomain/Comment is not mentioned.
function New-OutboundConnector {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory = $true, Position = 1)]
        [string] $Name,
        [Parameter()]
        [bool] $AllAcceptedDomains,
        [Parameter()]
        [bool] $CloudServicesMailEnabled,
        [Parameter()]
        [string] $Comment,
        # TenantConnectorSource -> [string]
        [Parameter()]
        [ValidateSet('Default', 'HybridWizard', 'Migrated')]
        [string] $ConnectorSource,
        # TenantConnectorType -> [string]
        [Parameter()]
        [ValidateSet('Partner', 'OnPremises')]
        [string] $ConnectorType,
        [Parameter()]
        [bool] $Enabled,
        [Parameter()]
        [bool] $IsTransportRuleScoped,
        # MtaStsMode -> [string]
        [Parameter()]
        [ValidateSet('Opportunistic', 'None')]
        [string] $MtaStsMode,
        # MultiValuedProperty -> [object[]]
        [Parameter()]
        [object[]] $RecipientDomains,
        [Parameter()]
        [bool] $RouteAllMessagesViaOnPremises,
        [Parameter()]
        [bool] $SenderRewritingEnabled,
        # MultiValuedProperty -> [object[]]
        [Parameter()]
        [object[]] $SmartHosts,
        # SmtpDaneMode -> [string]
        [Parameter()]
        [ValidateSet('Opportunistic', 'Mandatory', 'None')]
        [string] $SmtpDaneMode,
        [Parameter()]
        [bool] $TestMode,
        # SmtpDomainWithSubdomains -> [object]
        [Parameter()]
        [object] $TlsDomain,
        # TlsAuthLevel: a nullable enum, as Exchange's own type, so the documented $null (blank)
        # binds as $null (a [string] would make it '') and a value off the set fails to convert.
        [Parameter()]
        [System.Nullable[TlsAuthLevel]] $TlsSettings,
        [Parameter()]
        [bool] $UseMXRecord
    )
    Invoke-ExchangeDouble -Caller $PSCmdlet -Name $MyInvocation.MyCommand.Name -Bound $PSBoundParameters
}

# Set-OutboundConnector.md: cloud only. All parameters coexist sends are documented; TlsSettings $null (blank) is documented; $null for SmartHosts/RecipientDomains/TlsDomain/Comment is not mentioned.
function Set-OutboundConnector {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        # OutboundConnectorIdParameter -> [object]
        [Parameter(Mandatory = $true, Position = 1)]
        [object] $Identity,
        [Parameter()]
        [bool] $AllAcceptedDomains,
        [Parameter()]
        [bool] $CloudServicesMailEnabled,
        [Parameter()]
        [string] $Comment,
        # TenantConnectorSource -> [string]
        [Parameter()]
        [ValidateSet('Default', 'HybridWizard', 'Migrated')]
        [string] $ConnectorSource,
        # TenantConnectorType -> [string]
        [Parameter()]
        [ValidateSet('Partner', 'OnPremises')]
        [string] $ConnectorType,
        [Parameter()]
        [bool] $Enabled,
        [Parameter()]
        [bool] $IsTransportRuleScoped,
        [Parameter()]
        [bool] $IsValidated,
        [Parameter()]
        [datetime] $LastValidationTimestamp,
        # MtaStsMode -> [string]
        [Parameter()]
        [ValidateSet('Opportunistic', 'None')]
        [string] $MtaStsMode,
        [Parameter()]
        [string] $Name,
        # MultiValuedProperty -> [object[]]
        [Parameter()]
        [object[]] $RecipientDomains,
        [Parameter()]
        [bool] $RouteAllMessagesViaOnPremises,
        [Parameter()]
        [bool] $SenderRewritingEnabled,
        # MultiValuedProperty -> [object[]]
        [Parameter()]
        [object[]] $SmartHosts,
        # SmtpDaneMode -> [string]
        [Parameter()]
        [ValidateSet('Opportunistic', 'Mandatory', 'None')]
        [string] $SmtpDaneMode,
        [Parameter()]
        [bool] $TestMode,
        # SmtpDomainWithSubdomains -> [object]
        [Parameter()]
        [object] $TlsDomain,
        # TlsAuthLevel: a nullable enum, as Exchange's own type, so the documented $null (blank)
        # binds as $null (a [string] would make it '') and a value off the set fails to convert.
        [Parameter()]
        [System.Nullable[TlsAuthLevel]] $TlsSettings,
        [Parameter()]
        [bool] $UseMXRecord,
        [Parameter()]
        [string[]] $ValidationRecipients
    )
    Invoke-ExchangeDouble -Caller $PSCmdlet -Name $MyInvocation.MyCommand.Name -Bound $PSBoundParameters
}

# Remove-OutboundConnector.md: cloud only. coexist sends Identity and Confirm: documented.
function Remove-OutboundConnector {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param(
        # OutboundConnectorIdParameter -> [object]
        [Parameter(Mandatory = $true, Position = 1)]
        [object] $Identity
    )
    Invoke-ExchangeDouble -Caller $PSCmdlet -Name $MyInvocation.MyCommand.Name -Bound $PSBoundParameters
}

# Get-SendConnector.md: on-premises only. coexist sends Identity (optional): documented.
function Get-SendConnector {
    [CmdletBinding()]
    param(
        # SendConnectorIdParameter -> [object]
        [Parameter(Position = 1)]
        [object] $Identity,
        # Fqdn -> [object]
        [Parameter()]
        [object] $DomainController
    )
    Invoke-ExchangeDouble -Caller $PSCmdlet -Name $MyInvocation.MyCommand.Name -Bound $PSBoundParameters
}

# Get-TransportRule.md: coexist sends Identity (optional): documented.
function Get-TransportRule {
    [CmdletBinding()]
    param(
        # RuleIdParameter -> [object]
        [Parameter(Position = 1)]
        [object] $Identity,
        # Fqdn -> [object]
        [Parameter()]
        [object] $DomainController,
        # RuleState -> [string]
        [Parameter()]
        [ValidateSet('Enabled', 'Disabled')]
        [string] $State,
        [Parameter()]
        [string] $DlpPolicy,
        [Parameter()]
        [bool] $ExcludeConditionActionDetails,
        [Parameter()]
        [string] $Filter,
        # Unlimited -> [object]: 'Unlimited' or a positive count
        [Parameter()]
        [ValidateScript({ $_ -eq 'Unlimited' -or ($_ -as [int]) -gt 0 })]
        [object] $ResultSize
    )
    Invoke-ExchangeDouble -Caller $PSCmdlet -Name $MyInvocation.MyCommand.Name -Bound $PSBoundParameters
}

# New-TransportRule.md: Enabled is a Boolean (not a switch). coexist's spec admits SetSCL $null and SentToScope $null, which the docs do not document (rejected here); RouteMessageOutboundConnector is cloud only.
function New-TransportRule {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory = $true, Position = 1)]
        [string] $Name,
        [Parameter()]
        [datetime] $ActivationDate,
        # ADAttribute -> [string]
        [Parameter()]
        [ValidateSet('City', 'Company', 'Country', 'CustomAttribute1', 'CustomAttribute2', 'CustomAttribute3', 'CustomAttribute4', 'CustomAttribute5', 'CustomAttribute6', 'CustomAttribute7', 'CustomAttribute8', 'CustomAttribute9', 'CustomAttribute10', 'CustomAttribute11', 'CustomAttribute12', 'CustomAttribute13', 'CustomAttribute14', 'CustomAttribute15', 'Department', 'DisplayName', 'Email', 'FaxNumber', 'FirstName', 'HomePhoneNumber', 'Initials', 'LastName', 'Manager', 'MobileNumber', 'Notes', 'Office', 'OtherFaxNumber', 'OtherHomePhoneNumber', 'OtherPhoneNumber', 'PagerNumber', 'PhoneNumber', 'POBox', 'State', 'Street', 'Title', 'UserLogonName', 'ZipCode')]
        [string] $ADComparisonAttribute,
        # Evaluation -> [string]
        [Parameter()]
        [ValidateSet('Equal', 'NotEqual')]
        [string] $ADComparisonOperator,
        # AddedRecipientType -> [string]
        [Parameter()]
        [ValidateSet('To', 'Cc', 'Bcc', 'Redirect')]
        [string] $AddManagerAsRecipientType,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $AddToRecipients,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $AnyOfCcHeader,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $AnyOfCcHeaderMemberOf,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $AnyOfRecipientAddressContainsWords,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $AnyOfRecipientAddressMatchesPatterns,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $AnyOfToCcHeader,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $AnyOfToCcHeaderMemberOf,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $AnyOfToHeader,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $AnyOfToHeaderMemberOf,
        [Parameter()]
        [string] $ApplyClassification,
        # DisclaimerFallbackAction -> [string]
        [Parameter()]
        [ValidateSet('Wrap', 'Ignore', 'Reject')]
        [string] $ApplyHtmlDisclaimerFallbackAction,
        # DisclaimerLocation -> [string]
        [Parameter()]
        [ValidateSet('Append', 'Prepend')]
        [string] $ApplyHtmlDisclaimerLocation,
        # DisclaimerText -> [object]
        [Parameter()]
        [object] $ApplyHtmlDisclaimerText,
        [Parameter()]
        [bool] $ApplyOME,
        # OMEConfigurationIdParameter -> [object]
        [Parameter()]
        [object] $ApplyRightsProtectionCustomizationTemplate,
        # RmsTemplateIdParameter -> [object]
        [Parameter()]
        [object] $ApplyRightsProtectionTemplate,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $AttachmentContainsWords,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $AttachmentExtensionMatchesWords,
        [Parameter()]
        [bool] $AttachmentHasExecutableContent,
        [Parameter()]
        [bool] $AttachmentIsPasswordProtected,
        [Parameter()]
        [bool] $AttachmentIsUnsupported,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $AttachmentMatchesPatterns,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $AttachmentNameMatchesPatterns,
        [Parameter()]
        [bool] $AttachmentProcessingLimitExceeded,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $AttachmentPropertyContainsWords,
        # ByteQuantifiedSize -> [object]
        [Parameter()]
        [object] $AttachmentSizeOver,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $BetweenMemberOf1,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $BetweenMemberOf2,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $BlindCopyTo,
        [Parameter()]
        [string] $Comments,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $ContentCharacterSetContainsWords,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $CopyTo,
        [Parameter()]
        [bool] $DeleteMessage,
        [Parameter()]
        [bool] $Disconnect,
        [Parameter()]
        [string] $DlpPolicy,
        # Fqdn -> [object]
        [Parameter()]
        [object] $DomainController,
        [Parameter()]
        [bool] $Enabled,
        # ADAttribute -> [string]
        [Parameter()]
        [ValidateSet('City', 'Company', 'Country', 'CustomAttribute1', 'CustomAttribute2', 'CustomAttribute3', 'CustomAttribute4', 'CustomAttribute5', 'CustomAttribute6', 'CustomAttribute7', 'CustomAttribute8', 'CustomAttribute9', 'CustomAttribute10', 'CustomAttribute11', 'CustomAttribute12', 'CustomAttribute13', 'CustomAttribute14', 'CustomAttribute15', 'Department', 'DisplayName', 'Email', 'FaxNumber', 'FirstName', 'HomePhoneNumber', 'Initials', 'LastName', 'Manager', 'MobileNumber', 'Notes', 'Office', 'OtherFaxNumber', 'OtherHomePhoneNumber', 'OtherPhoneNumber', 'PagerNumber', 'PhoneNumber', 'POBox', 'State', 'Street', 'Title', 'UserLogonName', 'ZipCode')]
        [string] $ExceptIfADComparisonAttribute,
        # Evaluation -> [string]
        [Parameter()]
        [ValidateSet('Equal', 'NotEqual')]
        [string] $ExceptIfADComparisonOperator,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfAnyOfCcHeader,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfAnyOfCcHeaderMemberOf,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfAnyOfRecipientAddressContainsWords,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfAnyOfRecipientAddressMatchesPatterns,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfAnyOfToCcHeader,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfAnyOfToCcHeaderMemberOf,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfAnyOfToHeader,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfAnyOfToHeaderMemberOf,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfAttachmentContainsWords,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfAttachmentExtensionMatchesWords,
        [Parameter()]
        [bool] $ExceptIfAttachmentHasExecutableContent,
        [Parameter()]
        [bool] $ExceptIfAttachmentIsPasswordProtected,
        [Parameter()]
        [bool] $ExceptIfAttachmentIsUnsupported,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfAttachmentMatchesPatterns,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfAttachmentNameMatchesPatterns,
        [Parameter()]
        [bool] $ExceptIfAttachmentProcessingLimitExceeded,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfAttachmentPropertyContainsWords,
        # ByteQuantifiedSize -> [object]
        [Parameter()]
        [object] $ExceptIfAttachmentSizeOver,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfBetweenMemberOf1,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfBetweenMemberOf2,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfContentCharacterSetContainsWords,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfFrom,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfFromAddressContainsWords,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfFromAddressMatchesPatterns,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfFromMemberOf,
        # FromUserScope -> [string]
        [Parameter()]
        [ValidateSet('InOrganization', 'NotInOrganization')]
        [string] $ExceptIfFromScope,
        [Parameter()]
        [string] $ExceptIfHasClassification,
        [Parameter()]
        [bool] $ExceptIfHasNoClassification,
        [Parameter()]
        [bool] $ExceptIfHasSenderOverride,
        # HeaderName -> [object]
        [Parameter()]
        [object] $ExceptIfHeaderContainsMessageHeader,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfHeaderContainsWords,
        # HeaderName -> [object]
        [Parameter()]
        [object] $ExceptIfHeaderMatchesMessageHeader,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfHeaderMatchesPatterns,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfManagerAddresses,
        # EvaluatedUser -> [string]
        [Parameter()]
        [ValidateSet('Recipient', 'Sender')]
        [string] $ExceptIfManagerForEvaluatedUser,
        [Parameter()]
        [hashtable[]] $ExceptIfMessageContainsDataClassifications,
        # ByteQuantifiedSize -> [object]
        [Parameter()]
        [object] $ExceptIfMessageSizeOver,
        # MessageType -> [string]
        [Parameter()]
        [ValidateSet('OOF', 'AutoForward', 'Encrypted', 'Calendaring', 'PermissionControlled', 'Voicemail', 'Signed', 'ApprovalRequest', 'ReadReceipt')]
        [string] $ExceptIfMessageTypeMatches,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfRecipientADAttributeContainsWords,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfRecipientADAttributeMatchesPatterns,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfRecipientAddressContainsWords,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfRecipientAddressMatchesPatterns,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfRecipientDomainIs,
        # SclValue -> [object]: -1 or an integer 0 through 9
        [Parameter()]
        [ValidateScript({ "$_" -match '^(-1|[0-9])$' })]
        [object] $ExceptIfSCLOver,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfSenderADAttributeContainsWords,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfSenderADAttributeMatchesPatterns,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfSenderDomainIs,
        # MultiValuedProperty -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfSenderIpRanges,
        # ManagementRelationship -> [string]
        [Parameter()]
        [ValidateSet('Manager', 'DirectReport')]
        [string] $ExceptIfSenderManagementRelationship,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfSentTo,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfSentToMemberOf,
        # ToUserScope -> [string]
        [Parameter()]
        [ValidateSet('InOrganization', 'NotInOrganization', 'ExternalPartner', 'ExternalNonPartner')]
        [string] $ExceptIfSentToScope,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfSubjectContainsWords,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfSubjectMatchesPatterns,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfSubjectOrBodyContainsWords,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfSubjectOrBodyMatchesPatterns,
        # Importance -> [string]
        [Parameter()]
        [ValidateSet('Low', 'Normal', 'High')]
        [string] $ExceptIfWithImportance,
        [Parameter()]
        [datetime] $ExpiryDate,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $From,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $FromAddressContainsWords,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $FromAddressMatchesPatterns,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $FromMemberOf,
        # FromUserScope -> [string]
        [Parameter()]
        [ValidateSet('InOrganization', 'NotInOrganization')]
        [string] $FromScope,
        # RecipientIdParameter -> [object]
        [Parameter()]
        [object] $GenerateIncidentReport,
        # DisclaimerText -> [object]
        [Parameter()]
        [object] $GenerateNotification,
        [Parameter()]
        [string] $HasClassification,
        [Parameter()]
        [bool] $HasNoClassification,
        [Parameter()]
        [bool] $HasSenderOverride,
        # HeaderName -> [object]
        [Parameter()]
        [object] $HeaderContainsMessageHeader,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $HeaderContainsWords,
        # HeaderName -> [object]
        [Parameter()]
        [object] $HeaderMatchesMessageHeader,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $HeaderMatchesPatterns,
        # IncidentReportContent[] -> [string[]]
        [Parameter()]
        [ValidateSet('Sender', 'Recipients', 'Subject', 'CC', 'BCC', 'Severity', 'RuleDetections', 'FalsePositive', 'IdMatch', 'AttachOriginalMail')]
        [string[]] $IncidentReportContent,
        # EventLogText -> [object]
        [Parameter()]
        [object] $LogEventText,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $ManagerAddresses,
        # EvaluatedUser -> [string]
        [Parameter()]
        [ValidateSet('Recipient', 'Sender')]
        [string] $ManagerForEvaluatedUser,
        [Parameter()]
        [hashtable[]] $MessageContainsDataClassifications,
        # ByteQuantifiedSize -> [object]
        [Parameter()]
        [object] $MessageSizeOver,
        # MessageType -> [string]
        [Parameter()]
        [ValidateSet('OOF', 'AutoForward', 'Encrypted', 'Calendaring', 'PermissionControlled', 'Voicemail', 'Signed', 'ApprovalRequest', 'ReadReceipt')]
        [string] $MessageTypeMatches,
        # RuleMode -> [string]
        [Parameter()]
        [ValidateSet('Audit', 'AuditAndNotify', 'Enforce')]
        [string] $Mode,
        [Parameter()]
        [bool] $ModerateMessageByManager,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $ModerateMessageByUser,
        # NotifySenderType -> [string]
        [Parameter()]
        [ValidateSet('NotifyOnly', 'RejectMessage', 'RejectUnlessFalsePositiveOverride', 'RejectUnlessSilentOverride', 'RejectUnlessExplicitOverride')]
        [string] $NotifySender,
        # SubjectPrefix -> [object]
        [Parameter()]
        [object] $PrependSubject,
        [Parameter()]
        [int] $Priority,
        [Parameter()]
        [bool] $Quarantine,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $RecipientADAttributeContainsWords,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $RecipientADAttributeMatchesPatterns,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $RecipientAddressContainsWords,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $RecipientAddressMatchesPatterns,
        # RecipientAddressType -> [string]
        [Parameter()]
        [ValidateSet('Original', 'Resolved')]
        [string] $RecipientAddressType,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $RecipientDomainIs,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $RedirectMessageTo,
        # RejectEnhancedStatus -> [object]
        [Parameter()]
        [object] $RejectMessageEnhancedStatusCode,
        # RejectText -> [object]
        [Parameter()]
        [object] $RejectMessageReasonText,
        # HeaderName -> [object]
        [Parameter()]
        [object] $RemoveHeader,
        [Parameter()]
        [bool] $RemoveOME,
        [Parameter()]
        [bool] $RemoveOMEv2,
        [Parameter()]
        [bool] $RemoveRMSAttachmentEncryption,
        # OutboundConnectorIdParameter -> [object]
        [Parameter()]
        [object] $RouteMessageOutboundConnector,
        [Parameter()]
        [bool] $RouteMessageOutboundRequireTls,
        # RuleErrorAction -> [string]
        [Parameter()]
        [ValidateSet('Ignore', 'Defer')]
        [string] $RuleErrorAction,
        # RuleSubType -> [string]
        [Parameter()]
        [ValidateSet('Dlp', 'None')]
        [string] $RuleSubType,
        # SclValue -> [object]: -1 or an integer 0 through 9
        [Parameter()]
        [ValidateScript({ "$_" -match '^(-1|[0-9])$' })]
        [object] $SCLOver,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $SenderADAttributeContainsWords,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $SenderADAttributeMatchesPatterns,
        # SenderAddressLocation -> [string]
        [Parameter()]
        [ValidateSet('Header', 'Envelope', 'HeaderOrEnvelope')]
        [string] $SenderAddressLocation,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $SenderDomainIs,
        # MultiValuedProperty -> [object[]]
        [Parameter()]
        [object[]] $SenderIpRanges,
        # ManagementRelationship -> [string]
        [Parameter()]
        [ValidateSet('Manager', 'DirectReport')]
        [string] $SenderManagementRelationship,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $SentTo,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $SentToMemberOf,
        # ToUserScope -> [string]
        [Parameter()]
        [ValidateSet('InOrganization', 'NotInOrganization', 'ExternalPartner', 'ExternalNonPartner')]
        [string] $SentToScope,
        [Parameter()]
        [string] $SetAuditSeverity,
        # HeaderName -> [object]
        [Parameter()]
        [object] $SetHeaderName,
        # HeaderValue -> [object]
        [Parameter()]
        [object] $SetHeaderValue,
        # SclValue -> [object]: -1 or an integer 0 through 9
        [Parameter()]
        [ValidateScript({ "$_" -match '^(-1|[0-9])$' })]
        [object] $SetSCL,
        # RejectStatusCode -> [object]
        [Parameter()]
        [object] $SmtpRejectMessageRejectStatusCode,
        # RejectText -> [object]
        [Parameter()]
        [object] $SmtpRejectMessageRejectText,
        [Parameter()]
        [bool] $StopRuleProcessing,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $SubjectContainsWords,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $SubjectMatchesPatterns,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $SubjectOrBodyContainsWords,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $SubjectOrBodyMatchesPatterns,
        [Parameter()]
        [bool] $UseLegacyRegex,
        # Importance -> [string]
        [Parameter()]
        [ValidateSet('Low', 'Normal', 'High')]
        [string] $WithImportance
    )
    Invoke-ExchangeDouble -Caller $PSCmdlet -Name $MyInvocation.MyCommand.Name -Bound $PSBoundParameters
}

# Set-TransportRule.md: no -Enabled, as coexist assumes. coexist's spec admits SetSCL $null and SentToScope $null, which the docs do not document (rejected here); RouteMessageOutboundConnector is cloud only.
function Set-TransportRule {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        # RuleIdParameter -> [object]
        [Parameter(Mandatory = $true, Position = 1)]
        [object] $Identity,
        [Parameter()]
        [datetime] $ActivationDate,
        # ADAttribute -> [string]
        [Parameter()]
        [ValidateSet('City', 'Company', 'Country', 'CustomAttribute1', 'CustomAttribute2', 'CustomAttribute3', 'CustomAttribute4', 'CustomAttribute5', 'CustomAttribute6', 'CustomAttribute7', 'CustomAttribute8', 'CustomAttribute9', 'CustomAttribute10', 'CustomAttribute11', 'CustomAttribute12', 'CustomAttribute13', 'CustomAttribute14', 'CustomAttribute15', 'Department', 'DisplayName', 'Email', 'FaxNumber', 'FirstName', 'HomePhoneNumber', 'Initials', 'LastName', 'Manager', 'MobileNumber', 'Notes', 'Office', 'OtherFaxNumber', 'OtherHomePhoneNumber', 'OtherPhoneNumber', 'PagerNumber', 'PhoneNumber', 'POBox', 'State', 'Street', 'Title', 'UserLogonName', 'ZipCode')]
        [string] $ADComparisonAttribute,
        # Evaluation -> [string]
        [Parameter()]
        [ValidateSet('Equal', 'NotEqual')]
        [string] $ADComparisonOperator,
        # AddedRecipientType -> [string]
        [Parameter()]
        [ValidateSet('To', 'Cc', 'Bcc', 'Redirect')]
        [string] $AddManagerAsRecipientType,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $AddToRecipients,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $AnyOfCcHeader,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $AnyOfCcHeaderMemberOf,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $AnyOfRecipientAddressContainsWords,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $AnyOfRecipientAddressMatchesPatterns,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $AnyOfToCcHeader,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $AnyOfToCcHeaderMemberOf,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $AnyOfToHeader,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $AnyOfToHeaderMemberOf,
        [Parameter()]
        [string] $ApplyClassification,
        # DisclaimerFallbackAction -> [string]
        [Parameter()]
        [ValidateSet('Wrap', 'Ignore', 'Reject')]
        [string] $ApplyHtmlDisclaimerFallbackAction,
        # DisclaimerLocation -> [string]
        [Parameter()]
        [ValidateSet('Append', 'Prepend')]
        [string] $ApplyHtmlDisclaimerLocation,
        # DisclaimerText -> [object]
        [Parameter()]
        [object] $ApplyHtmlDisclaimerText,
        [Parameter()]
        [bool] $ApplyOME,
        # OMEConfigurationIdParameter -> [object]
        [Parameter()]
        [object] $ApplyRightsProtectionCustomizationTemplate,
        # RmsTemplateIdParameter -> [object]
        [Parameter()]
        [object] $ApplyRightsProtectionTemplate,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $AttachmentContainsWords,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $AttachmentExtensionMatchesWords,
        [Parameter()]
        [bool] $AttachmentHasExecutableContent,
        [Parameter()]
        [bool] $AttachmentIsPasswordProtected,
        [Parameter()]
        [bool] $AttachmentIsUnsupported,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $AttachmentMatchesPatterns,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $AttachmentNameMatchesPatterns,
        [Parameter()]
        [bool] $AttachmentProcessingLimitExceeded,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $AttachmentPropertyContainsWords,
        # ByteQuantifiedSize -> [object]
        [Parameter()]
        [object] $AttachmentSizeOver,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $BetweenMemberOf1,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $BetweenMemberOf2,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $BlindCopyTo,
        [Parameter()]
        [string] $Comments,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $ContentCharacterSetContainsWords,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $CopyTo,
        [Parameter()]
        [bool] $DeleteMessage,
        [Parameter()]
        [bool] $Disconnect,
        [Parameter()]
        [string] $DlpPolicy,
        # Fqdn -> [object]
        [Parameter()]
        [object] $DomainController,
        # ADAttribute -> [string]
        [Parameter()]
        [ValidateSet('City', 'Company', 'Country', 'CustomAttribute1', 'CustomAttribute2', 'CustomAttribute3', 'CustomAttribute4', 'CustomAttribute5', 'CustomAttribute6', 'CustomAttribute7', 'CustomAttribute8', 'CustomAttribute9', 'CustomAttribute10', 'CustomAttribute11', 'CustomAttribute12', 'CustomAttribute13', 'CustomAttribute14', 'CustomAttribute15', 'Department', 'DisplayName', 'Email', 'FaxNumber', 'FirstName', 'HomePhoneNumber', 'Initials', 'LastName', 'Manager', 'MobileNumber', 'Notes', 'Office', 'OtherFaxNumber', 'OtherHomePhoneNumber', 'OtherPhoneNumber', 'PagerNumber', 'PhoneNumber', 'POBox', 'State', 'Street', 'Title', 'UserLogonName', 'ZipCode')]
        [string] $ExceptIfADComparisonAttribute,
        # Evaluation -> [string]
        [Parameter()]
        [ValidateSet('Equal', 'NotEqual')]
        [string] $ExceptIfADComparisonOperator,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfAnyOfCcHeader,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfAnyOfCcHeaderMemberOf,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfAnyOfRecipientAddressContainsWords,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfAnyOfRecipientAddressMatchesPatterns,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfAnyOfToCcHeader,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfAnyOfToCcHeaderMemberOf,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfAnyOfToHeader,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfAnyOfToHeaderMemberOf,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfAttachmentContainsWords,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfAttachmentExtensionMatchesWords,
        [Parameter()]
        [bool] $ExceptIfAttachmentHasExecutableContent,
        [Parameter()]
        [bool] $ExceptIfAttachmentIsPasswordProtected,
        [Parameter()]
        [bool] $ExceptIfAttachmentIsUnsupported,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfAttachmentMatchesPatterns,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfAttachmentNameMatchesPatterns,
        [Parameter()]
        [bool] $ExceptIfAttachmentProcessingLimitExceeded,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfAttachmentPropertyContainsWords,
        # ByteQuantifiedSize -> [object]
        [Parameter()]
        [object] $ExceptIfAttachmentSizeOver,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfBetweenMemberOf1,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfBetweenMemberOf2,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfContentCharacterSetContainsWords,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfFrom,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfFromAddressContainsWords,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfFromAddressMatchesPatterns,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfFromMemberOf,
        # FromUserScope -> [string]
        [Parameter()]
        [ValidateSet('InOrganization', 'NotInOrganization')]
        [string] $ExceptIfFromScope,
        [Parameter()]
        [string] $ExceptIfHasClassification,
        [Parameter()]
        [bool] $ExceptIfHasNoClassification,
        [Parameter()]
        [bool] $ExceptIfHasSenderOverride,
        # HeaderName -> [object]
        [Parameter()]
        [object] $ExceptIfHeaderContainsMessageHeader,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfHeaderContainsWords,
        # HeaderName -> [object]
        [Parameter()]
        [object] $ExceptIfHeaderMatchesMessageHeader,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfHeaderMatchesPatterns,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfManagerAddresses,
        # EvaluatedUser -> [string]
        [Parameter()]
        [ValidateSet('Recipient', 'Sender')]
        [string] $ExceptIfManagerForEvaluatedUser,
        [Parameter()]
        [hashtable[]] $ExceptIfMessageContainsDataClassifications,
        # ByteQuantifiedSize -> [object]
        [Parameter()]
        [object] $ExceptIfMessageSizeOver,
        # MessageType -> [string]
        [Parameter()]
        [ValidateSet('OOF', 'AutoForward', 'Encrypted', 'Calendaring', 'PermissionControlled', 'Voicemail', 'Signed', 'ApprovalRequest', 'ReadReceipt')]
        [string] $ExceptIfMessageTypeMatches,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfRecipientADAttributeContainsWords,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfRecipientADAttributeMatchesPatterns,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfRecipientAddressContainsWords,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfRecipientAddressMatchesPatterns,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfRecipientDomainIs,
        # SclValue -> [object]: -1 or an integer 0 through 9
        [Parameter()]
        [ValidateScript({ "$_" -match '^(-1|[0-9])$' })]
        [object] $ExceptIfSCLOver,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfSenderADAttributeContainsWords,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfSenderADAttributeMatchesPatterns,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfSenderDomainIs,
        # MultiValuedProperty -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfSenderIpRanges,
        # ManagementRelationship -> [string]
        [Parameter()]
        [ValidateSet('Manager', 'DirectReport')]
        [string] $ExceptIfSenderManagementRelationship,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfSentTo,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfSentToMemberOf,
        # ToUserScope -> [string]
        [Parameter()]
        [ValidateSet('InOrganization', 'NotInOrganization', 'ExternalPartner', 'ExternalNonPartner')]
        [string] $ExceptIfSentToScope,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfSubjectContainsWords,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfSubjectMatchesPatterns,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfSubjectOrBodyContainsWords,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $ExceptIfSubjectOrBodyMatchesPatterns,
        # Importance -> [string]
        [Parameter()]
        [ValidateSet('Low', 'Normal', 'High')]
        [string] $ExceptIfWithImportance,
        [Parameter()]
        [datetime] $ExpiryDate,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $From,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $FromAddressContainsWords,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $FromAddressMatchesPatterns,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $FromMemberOf,
        # FromUserScope -> [string]
        [Parameter()]
        [ValidateSet('InOrganization', 'NotInOrganization')]
        [string] $FromScope,
        # RecipientIdParameter -> [object]
        [Parameter()]
        [object] $GenerateIncidentReport,
        # DisclaimerText -> [object]
        [Parameter()]
        [object] $GenerateNotification,
        [Parameter()]
        [string] $HasClassification,
        [Parameter()]
        [bool] $HasNoClassification,
        [Parameter()]
        [bool] $HasSenderOverride,
        # HeaderName -> [object]
        [Parameter()]
        [object] $HeaderContainsMessageHeader,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $HeaderContainsWords,
        # HeaderName -> [object]
        [Parameter()]
        [object] $HeaderMatchesMessageHeader,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $HeaderMatchesPatterns,
        # IncidentReportContent[] -> [string[]]
        [Parameter()]
        [ValidateSet('Sender', 'Recipients', 'Subject', 'CC', 'BCC', 'Severity', 'RuleDetections', 'FalsePositive', 'IdMatch', 'AttachOriginalMail')]
        [string[]] $IncidentReportContent,
        # EventLogText -> [object]
        [Parameter()]
        [object] $LogEventText,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $ManagerAddresses,
        # EvaluatedUser -> [string]
        [Parameter()]
        [ValidateSet('Recipient', 'Sender')]
        [string] $ManagerForEvaluatedUser,
        [Parameter()]
        [hashtable[]] $MessageContainsDataClassifications,
        # ByteQuantifiedSize -> [object]
        [Parameter()]
        [object] $MessageSizeOver,
        # MessageType -> [string]
        [Parameter()]
        [ValidateSet('OOF', 'AutoForward', 'Encrypted', 'Calendaring', 'PermissionControlled', 'Voicemail', 'Signed', 'ApprovalRequest', 'ReadReceipt')]
        [string] $MessageTypeMatches,
        # RuleMode -> [string]
        [Parameter()]
        [ValidateSet('Audit', 'AuditAndNotify', 'Enforce')]
        [string] $Mode,
        [Parameter()]
        [bool] $ModerateMessageByManager,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $ModerateMessageByUser,
        [Parameter()]
        [string] $Name,
        # NotifySenderType -> [string]
        [Parameter()]
        [ValidateSet('NotifyOnly', 'RejectMessage', 'RejectUnlessFalsePositiveOverride', 'RejectUnlessSilentOverride', 'RejectUnlessExplicitOverride')]
        [string] $NotifySender,
        # SubjectPrefix -> [object]
        [Parameter()]
        [object] $PrependSubject,
        [Parameter()]
        [int] $Priority,
        [Parameter()]
        [bool] $Quarantine,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $RecipientADAttributeContainsWords,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $RecipientADAttributeMatchesPatterns,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $RecipientAddressContainsWords,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $RecipientAddressMatchesPatterns,
        # RecipientAddressType -> [string]
        [Parameter()]
        [ValidateSet('Original', 'Resolved')]
        [string] $RecipientAddressType,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $RecipientDomainIs,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $RedirectMessageTo,
        # RejectEnhancedStatus -> [object]
        [Parameter()]
        [object] $RejectMessageEnhancedStatusCode,
        # RejectText -> [object]
        [Parameter()]
        [object] $RejectMessageReasonText,
        # HeaderName -> [object]
        [Parameter()]
        [object] $RemoveHeader,
        [Parameter()]
        [bool] $RemoveOME,
        [Parameter()]
        [bool] $RemoveOMEv2,
        [Parameter()]
        [bool] $RemoveRMSAttachmentEncryption,
        # OutboundConnectorIdParameter -> [object]
        [Parameter()]
        [object] $RouteMessageOutboundConnector,
        [Parameter()]
        [bool] $RouteMessageOutboundRequireTls,
        # RuleErrorAction -> [string]
        [Parameter()]
        [ValidateSet('Ignore', 'Defer')]
        [string] $RuleErrorAction,
        # RuleSubType -> [string]
        [Parameter()]
        [ValidateSet('Dlp', 'None')]
        [string] $RuleSubType,
        # SclValue -> [object]: -1 or an integer 0 through 9
        [Parameter()]
        [ValidateScript({ "$_" -match '^(-1|[0-9])$' })]
        [object] $SCLOver,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $SenderADAttributeContainsWords,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $SenderADAttributeMatchesPatterns,
        # SenderAddressLocation -> [string]
        [Parameter()]
        [ValidateSet('Header', 'Envelope', 'HeaderOrEnvelope')]
        [string] $SenderAddressLocation,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $SenderDomainIs,
        # MultiValuedProperty -> [object[]]
        [Parameter()]
        [object[]] $SenderIpRanges,
        # ManagementRelationship -> [string]
        [Parameter()]
        [ValidateSet('Manager', 'DirectReport')]
        [string] $SenderManagementRelationship,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $SentTo,
        # RecipientIdParameter[] -> [object[]]
        [Parameter()]
        [object[]] $SentToMemberOf,
        # ToUserScope -> [string]
        [Parameter()]
        [ValidateSet('InOrganization', 'NotInOrganization', 'ExternalPartner', 'ExternalNonPartner')]
        [string] $SentToScope,
        [Parameter()]
        [string] $SetAuditSeverity,
        # HeaderName -> [object]
        [Parameter()]
        [object] $SetHeaderName,
        # HeaderValue -> [object]
        [Parameter()]
        [object] $SetHeaderValue,
        # SclValue -> [object]: -1 or an integer 0 through 9
        [Parameter()]
        [ValidateScript({ "$_" -match '^(-1|[0-9])$' })]
        [object] $SetSCL,
        # RejectStatusCode -> [object]
        [Parameter()]
        [object] $SmtpRejectMessageRejectStatusCode,
        # RejectText -> [object]
        [Parameter()]
        [object] $SmtpRejectMessageRejectText,
        [Parameter()]
        [bool] $StopRuleProcessing,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $SubjectContainsWords,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $SubjectMatchesPatterns,
        # Word[] -> [object[]]
        [Parameter()]
        [object[]] $SubjectOrBodyContainsWords,
        # Pattern[] -> [object[]]
        [Parameter()]
        [object[]] $SubjectOrBodyMatchesPatterns,
        # Importance -> [string]
        [Parameter()]
        [ValidateSet('Low', 'Normal', 'High')]
        [string] $WithImportance
    )
    Invoke-ExchangeDouble -Caller $PSCmdlet -Name $MyInvocation.MyCommand.Name -Bound $PSBoundParameters
}

# Enable-TransportRule.md: coexist sends Identity and Mode: documented.
function Enable-TransportRule {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        # RuleIdParameter -> [object]
        [Parameter(Mandatory = $true, Position = 1)]
        [object] $Identity,
        # Fqdn -> [object]
        [Parameter()]
        [object] $DomainController,
        # RuleMode -> [string]
        [Parameter()]
        [ValidateSet('Audit', 'AuditAndNotify', 'Enforce')]
        [string] $Mode
    )
    Invoke-ExchangeDouble -Caller $PSCmdlet -Name $MyInvocation.MyCommand.Name -Bound $PSBoundParameters
}

# Disable-TransportRule.md: "This cmdlet has a built-in pause" (ConfirmImpact High here); coexist sends Identity and Confirm: documented.
function Disable-TransportRule {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param(
        # RuleIdParameter -> [object]
        [Parameter(Mandatory = $true, Position = 1)]
        [object] $Identity,
        # Fqdn -> [object]
        [Parameter()]
        [object] $DomainController
    )
    Invoke-ExchangeDouble -Caller $PSCmdlet -Name $MyInvocation.MyCommand.Name -Bound $PSBoundParameters
}

# Remove-TransportRule.md: coexist sends Identity and Confirm: documented.
function Remove-TransportRule {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param(
        # RuleIdParameter -> [object]
        [Parameter(Mandatory = $true, Position = 1)]
        [object] $Identity,
        # Fqdn -> [object]
        [Parameter()]
        [object] $DomainController
    )
    Invoke-ExchangeDouble -Caller $PSCmdlet -Name $MyInvocation.MyCommand.Name -Bound $PSBoundParameters
}
