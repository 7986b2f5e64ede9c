{{/* podSelector of the given components of this release */}}
{{- define "dsensor.np.podSelector" -}}
matchLabels:
  app.kubernetes.io/name: {{ include "dsensor.name" .root }}
  app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- if eq (len .components) 1 }}
  app.kubernetes.io/component: {{ first .components }}
{{- else }}
matchExpressions:
  - key: app.kubernetes.io/component
    operator: In
    values:
      {{- toYaml .components | nindent 6 }}
{{- end }}
{{- end }}

{{/* The components whose egress the policies restrict (console and Prometheus agent excepted:
     their egress goes to users' webhooks and remote-write endpoints) */}}
{{- define "dsensor.np.restricted" -}}
{{- $list := list }}
{{- if .Values.dim.enabled }}
{{- $list = append $list "digger" }}
{{- if .Values.kafka.embedded.enabled }}
{{- $list = append $list "kafka" }}
{{- end }}
{{- end }}
{{- if .Values.dar.enabled }}
{{- $list = append $list "crawler" }}
{{- end }}
{{- if or .Values.dim.enabled .Values.dar.enabled }}
{{- $list = append $list "detection-tool" }}
{{- end }}
{{- toJson $list }}
{{- end }}

{{/* The stats clients: digger and/or crawler */}}
{{- define "dsensor.np.statsClients" -}}
{{- $list := list }}
{{- if .Values.dim.enabled }}
{{- $list = append $list "digger" }}
{{- end }}
{{- if .Values.dar.enabled }}
{{- $list = append $list "crawler" }}
{{- end }}
{{- toJson $list }}
{{- end }}

{{/* The port at the end of host:port or a URL, else "" */}}
{{- define "dsensor.np.portOf" -}}
{{- $text := trimSuffix "/" . }}
{{- regexFind "[0-9]+$" (regexFind ":[0-9]+$" $text) }}
{{- end }}

{{- define "dsensor.np.metadata" -}}
name: {{ include "dsensor.fullname" .root }}-{{ .purpose }}
namespace: {{ .root.Release.Namespace }}
labels:
  {{- include "dsensor.commonLabels" .root | nindent 2 }}
  dsensor.io/policy: {{ .purpose }}
{{- end }}
