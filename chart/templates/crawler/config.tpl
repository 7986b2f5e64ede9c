{{/* The crawler's config file: statsclient, checkinterval, datadir (connections come as
     SVRN_CRAWLER_CRAWL_* variables from the Secret, or from the environment as given) */}}
{{- define "dsensor.crawler.config" -}}
{{- $base := dict
  "statsclient" (include "dsensor.statsClient" (dict "root" . "sensorid" (include "dsensor.crawlerSensorId" .)) | fromJson)
  "checkinterval" .Values.crawler.checkInterval
  "datadir" "/var/lib/dsensor"
}}
{{- include "dsensor.configFile" (dict "base" $base "values" .Values.crawler) }}
{{- end }}

{{/* variable name -> the crawler.crawl list behind it */}}
{{- define "dsensor.crawler.connectionVars" -}}
{{- toJson (dict
  "s3" (list "SVRN_CRAWLER_CRAWL_S3" .Values.crawler.crawl.s3)
  "kafka" (list "SVRN_CRAWLER_CRAWL_KAFKA" .Values.crawler.crawl.kafka)
  "postgres" (list "SVRN_CRAWLER_CRAWL_DATABASE_POSTGRES" .Values.crawler.crawl.database.postgres)) }}
{{- end }}

{{- define "dsensor.crawler.env" -}}
{{- $root := . }}
{{- range $kind, $ref := .Values.crawler.crawlFromSecret }}
{{- $var := index (include "dsensor.crawler.connectionVars" $root | fromJson) $kind 0 }}
- name: {{ $var }}
  valueFrom:
    secretKeyRef:
      name: {{ required (printf "crawler.crawlFromSecret.%s.name is required" $kind) $ref.name }}
      key: {{ default $var $ref.key }}
{{- end }}
{{- if not .Values.useExternalSecrets }}
{{ include "dsensor.secretEnv" (dict "root" . "name" "SVRN_CRAWLER_STATSCLIENT_TOKEN") }}
{{- range $kind, $pair := include "dsensor.crawler.connectionVars" . | fromJson }}
{{- if and (index $pair 1) (not (hasKey $root.Values.crawler.crawlFromSecret $kind)) }}
{{ include "dsensor.secretEnv" (dict "root" $root "name" (index $pair 0)) }}
{{- end }}
{{- end }}
{{- end }}
{{ include "dsensor.proxyEnv" . }}
{{- with .Values.crawler.env }}
{{ toYaml . }}
{{- end }}
{{- end }}
