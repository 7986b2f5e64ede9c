{{/* The digger's config file (keys of sensor_dim.digger.settings.DiggerSettings) */}}
{{- define "dsensor.digger.config" -}}
{{- $base := dict
  "statsclient" (include "dsensor.statsClient" (dict "root" . "sensorid" (include "dsensor.diggerSensorId" .)) | fromJson)
  "detection" (dict "mode" "remote" "address" (printf "%s:%d" (include "dsensor.componentName" (dict "root" . "component" "detection-tool")) (int .Values.detectionTool.grpcPort)))
  "kafka" (include "dsensor.kafkaSettings" . | fromJson)
  "http" (dict "port" (int .Values.digger.httpPort))
  "logging" (dict "level" .Values.digger.logLevel "format" "json")
  "datadir" "/var/lib/dsensor"
}}
{{- include "dsensor.configFile" (dict "base" $base "values" .Values.digger) }}
{{- end }}

{{- define "dsensor.digger.env" -}}
{{- if not .Values.useExternalSecrets }}
{{ include "dsensor.secretEnv" (dict "root" . "name" "SVRN_DIGGER_STATSCLIENT_TOKEN") }}
{{- if and (not .Values.kafka.embedded.enabled) .Values.kafka.external.sasl }}
{{ include "dsensor.secretEnv" (dict "root" . "name" "SVRN_DIGGER_KAFKA_PASSWORD") }}
{{- end }}
{{- end }}
{{ include "dsensor.proxyEnv" . }}
{{- with .Values.digger.env }}
{{ toYaml . }}
{{- end }}
{{- end }}
