{{/* The interceptor's config file (keys of sensor_dim.interceptor.settings.InterceptorSettings) */}}
{{- define "dsensor.interceptor.config" -}}
{{- $base := dict
  "http" (dict "port" (int .Values.interceptor.httpPort))
  "sensorid" (include "dsensor.diggerSensorId" .)
  "kafka" (dict "connection" (include "dsensor.kafkaSettings" . | fromJson))
  "logging" (dict "level" .Values.interceptor.logLevel "format" "json")
}}
{{- include "dsensor.configFile" (dict "base" $base "values" .Values.interceptor) }}
{{- end }}

{{- define "dsensor.interceptor.env" -}}
- name: SVRN_INTERCEPTOR_NODE
  valueFrom:
    fieldRef:
      fieldPath: spec.nodeName
{{- if and (not .Values.useExternalSecrets) (not .Values.kafka.embedded.enabled) .Values.kafka.external.sasl }}
- name: SVRN_INTERCEPTOR_KAFKA_CONNECTION_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "dsensor.secretName" . }}
      key: SVRN_DIGGER_KAFKA_PASSWORD
{{- end }}
{{- with .Values.interceptor.env }}
{{ toYaml . }}
{{- end }}
{{- end }}
