// Azure resources for one environment of the partner onboarding assistant, deployed by the
// Agents Toolkit's arm/deploy (m365agents.yml) with infra/azure.parameters.json:
// a Linux App Service on Node 20 that builds its production dependencies itself, and a
// single-tenant Azure Bot with the Teams channel pointing at it.

@description('Names the plan, the site and the bot; unique per resource group by default.')
@minLength(4)
@maxLength(40)
param resourceBaseName string = 'onboarding-${uniqueString(resourceGroup().id)}'
param location string = resourceGroup().location
@description('App Service plan size: B1 runs one instance; P0v3 and up for production.')
param webAppSku string = 'B1'
@maxLength(42)
param botDisplayName string = 'Partner Onboarding'
@description('Azure Bot pricing tier: F0 (free, standard channels) or S1.')
param botServiceSku string = 'F0'

@description('The Entra app (client) id of the bot (aadApp/create writes BOT_ID).')
param botAppId string
@secure()
param botAppPassword string
@description('The Entra tenant the bot app is registered in (aadApp/create writes BOT_TENANT_ID).')
param botTenantId string

@description('postgres://user:password@host:5432/db. App Service has no local disk for SQLite: its /home share is a network file system, on which SQLite\'s WAL is unsafe.')
@minLength(1)
@secure()
param databaseUrl string
@description('Service token of the workflow API, 32+ random characters.')
@minLength(32)
@secure()
param workflowApiToken string
@description('HMAC secret of the notification webhook, 32+ random characters.')
@minLength(32)
@secure()
param notifySecret string
@description('Optional redis://… URL shared by instances (replay ids, rate limits, LLM cache).')
@secure()
param keyvUrl string = ''
@description('Optional OpenAI-compatible key for FAQ answers (empty: offline answers only).')
@secure()
param openAiApiKey string = ''
param openAiBaseUrl string = ''
param bdUserIds string = ''
param supportUserIds string = ''
param adminUserIds string = ''
param allowedTenantIds string = ''

resource plan 'Microsoft.Web/serverfarms@2022-09-01' = {
  name: resourceBaseName
  location: location
  kind: 'linux'
  sku: {
    name: webAppSku
  }
  properties: {
    reserved: true
  }
}

// Settings the server reads (.env.example); empty optional ones count as unset.
var serverSettings = [
  {
    name: 'BOT_ID'
    value: botAppId
  }
  {
    name: 'BOT_PASSWORD'
    value: botAppPassword
  }
  {
    name: 'BOT_TYPE'
    value: 'SingleTenant'
  }
  {
    name: 'BOT_TENANT_ID'
    value: botTenantId
  }
  {
    name: 'DATABASE_URL'
    value: databaseUrl
  }
  {
    name: 'KEYV_URL'
    value: keyvUrl
  }
  {
    name: 'WORKFLOW_API_TOKEN'
    value: workflowApiToken
  }
  {
    name: 'NOTIFY_SECRET'
    value: notifySecret
  }
  {
    name: 'OPENAI_API_KEY'
    value: openAiApiKey
  }
  {
    name: 'OPENAI_BASE_URL'
    value: openAiBaseUrl
  }
  {
    name: 'BD_USER_IDS'
    value: bdUserIds
  }
  {
    name: 'SUPPORT_USER_IDS'
    value: supportUserIds
  }
  {
    name: 'ADMIN_USER_IDS'
    value: adminUserIds
  }
  {
    name: 'ALLOWED_TENANT_IDS'
    value: allowedTenantIds
  }
]

// How App Service builds the upload (package.json, lock, dist/, knowledge/): Oryx installs
// only the production dependencies, on Linux, so native binaries fit the server.
var buildSettings = [
  {
    name: 'SCM_DO_BUILD_DURING_DEPLOYMENT'
    value: 'true'
  }
  {
    name: 'CUSTOM_BUILD_COMMAND'
    value: 'npm ci --omit=dev --no-audit --no-fund'
  }
]

resource site 'Microsoft.Web/sites@2022-09-01' = {
  name: resourceBaseName
  location: location
  kind: 'app,linux'
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      healthCheckPath: '/healthz'
      // npm start would build first, and the production tree has no TypeScript.
      appCommandLine: 'node --disable-warning=DEP0111 --max-old-space-size=160 dist/src/index.js'
      appSettings: concat(buildSettings, serverSettings)
    }
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: resourceBaseName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botServiceSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${site.properties.defaultHostName}/api/messages'
    msaAppId: botAppId
    msaAppType: 'SingleTenant'
    msaAppTenantId: botTenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}

// Written to env/.env.<environment> by arm/deploy; the manifest and Deploy read them.
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = site.id
output BOT_DOMAIN string = site.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${site.properties.defaultHostName}'
