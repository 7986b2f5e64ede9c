"""Key names as context: normalisation into tokens and the key -> data type table.

``cardNumber``, ``card_number``, ``CARD-NUMBER`` and ``card.number`` all become the tokens
``("card", "number")``. A key matches a table phrase when the phrase is a suffix of its tokens
(``billing_email`` -> ``email``); the longest phrase wins (``email_address`` is an email, not a
street address). Identifier keys (``order_id``, ``sku``) are negative context: digits under them
are not cards or phones.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from detection_tool.national_ids import ID_NUMBERS

_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
# runs of Latin letters and digits (split further at case changes), or runs of letters of other
# scripts (Hangul, Greek, Cyrillic, CJK: `전화번호`, `όνομα`), each one token
# (scripts that write vowels as marks, Devanagari to Sinhala, Thai, Lao, Myanmar and Khmer, keep
# their marks inside the word: `बीमारी`, `ชื่อ`)
_PARTS = re.compile(
    r"[0-9A-Za-z]+|(?:[^\W0-9A-Za-z_]|[\u0900-\u0dff\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff])+"
)
# a map key that looks like an identifier; anything else may be a value and is not echoed

IDENTIFIER = "identifier"
"""Pseudo type of negative keys: ids, references, hashes, versions, prices."""
PERSON_REFERENCE = "person_reference"
"""Pseudo type of a person's role named by a bare key (`assignee`, `guarantor`): an id there is
the person's (`user_id`), a word may be their name."""


@dataclass(frozen=True, slots=True)
class KeyContext:
    """What a key name says about its value."""

    type_id: str  # a catalog id, or IDENTIFIER for negative context
    weight: float  # 0..1: how much the key alone suggests the type
    reason: str  # "key:card_number" — the matched phrase, never the key or value itself

    @property
    def identifier(self) -> bool:
        return self.type_id == IDENTIFIER


# letters NFKD leaves whole: Polish ł (płeć), Nordic ø and æ, Croatian and Vietnamese đ,
# Turkish dotless and dotted i (U+0131, U+0130: `baba_ad\u0131`), Icelandic ð and þ
_WHOLE_LETTERS = str.maketrans({"ß": "ss", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae",
                                "Æ": "AE", "đ": "d", "Đ": "D", "\u0131": "i", "\u0130": "I",
                                "ð": "d",
                                "Ð": "D", "þ": "th", "Þ": "Th",
                                # a modifier-letter apostrophe splits words (Ukrainian `імʼя`)
                                "\u02bc": "'"})  # fmt: skip


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_WHOLE_LETTERS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=8192)
def key_tokens(key: str) -> tuple[str, ...]:
    """Lower-case word tokens of a key name; digit-only parts are dropped."""
    out: list[str] = []
    for part in _PARTS.findall(_strip_accents(key)):
        if part[0] > "z":  # a run of another script's letters: one word
            out.append(part.lower())
            continue
        for word in _CAMEL.findall(part):
            if not word.isdigit():
                out.append(word.lower())
    return tuple(out)


_S = 0.9  # strong: the key names the type
_M = 0.75  # medium: common shorthand
_W = 0.55  # weak: ambiguous alone

# (type id, weight, phrases): phrases are normalised like keys, space-separated here
# fmt: off
_TABLE_SOURCE: tuple[tuple[str, float, str], ...] = (
    ("email", _S, "email e_mail email_address emailaddress courriel correo correo_electronico"
     " mail_address e_mail_adresse"),
    ("email", _M, "mail contact_mail"),
    ("phone_number", _S, "phone phone_number phonenumber telephone telefon telefono mobile"
     " telephone_number mobile_number mobile_phone msisdn cell_phone handy telefonnummer"
     " numero_telephone portable numero_de_telefono telefono_movil movil celular mobilnummer"
     " handynummer phone_no"),
    ("phone_number", _M, "tel cell fax"),
    ("credit_card_number", _S, "card_number cardnumber cc_number ccnum credit_card creditcard"
     " credit_card_number kartennummer numero_carte numero_de_tarjeta pan card_pan"
     " primary_account_number cc_num card_no numero_tarjeta numero_de_carte"),
    ("cardholder_name", _S, "titular_tarjeta titular_de_la_tarjeta kaarthouder karteninhaber"
     " titulaire_carte titular_do_cartao titolare_carta"),
    ("masked_card_number", _S, "masked_pan masked_card card_mask last4 last_four last_digits"
     " card_last_digits final_cartao ultimos_digitos ultime_cifre letzte_ziffern"),
    ("card_cvv", _S, "cvv cvc cvv2 cvc2 security_code card_code card_verification csc"
     " cvv_number cvc_number cvv_code"),
    ("card_expiry", _S, "expiry exp_date expiration expiration_date expiry_date card_expiry exp"
     " valid_thru ablaufdatum date_expiration exp_month expiry_month exp_year expiry_year"
     " expiration_year"
     " expiration_month card_exp valid_until fecha_caducidad"
     " fecha_vencimiento date_d_expiration gultig_bis caducidad vervaldatum scadenza"
     " data_scadenza validade data_validade"),
    ("cardholder_name", _S, "cardholder cardholder_name card_holder card_holder_name"
     " name_on_card"),
    ("password", _S, "password passwd pwd passwort mot_de_passe contrasena passphrase"
     " new_password old_password kennwort pass pw current_password confirm_password"
     " password_confirmation user_password security_answer secret_answer wachtwoord haslo"
     " senha losenord backup_code recovery_code"),
    ("first_name", _S, "first_name firstname given_name forename vorname prenom fname"
     " nombre_de_pila voornaam voornamen imie primeiro_nome prenome fornamn"),
    ("last_name", _S, "last_name lastname surname family_name nachname apellido apellidos"
     " nom_de_famille lname familienname primer_apellido cognome achternaam nazwisko"
     " sobrenome efternamn apellido_paterno apellido_materno segundo_apellido"),
    ("person_name", _S, "full_name fullname display_name customer_name contact_name person_name"
     " patient_name recipient_name nom_complet nombre_completo account_holder holder_name"
     " account_holder_name owner_name beneficiary_name billing_name shipping_name"
     " contact_person name_on_account kontoinhaber titular titulaire nombre_titular"
     " employee_name traveler_name passenger_name member_name guest_name"
     " nome_completo consumer_name shimei namae"),
    ("date_of_birth", _S, "dob birth_date birthdate date_of_birth dateofbirth birthday"
     " geburtsdatum date_de_naissance fecha_de_nacimiento fecha_nacimiento date_naissance"
     " geburtstag birth_day data_nascita data_di_nascita geboortedatum data_urodzenia"
     " data_nascimento data_de_nascimento fodelsedatum seinengappi"),
    ("us_ssn", _S, "ssn social_security_number social_security"),
    ("us_itin", _S, "itin"),
    ("iban", _S, "iban iban_number"),
    ("bank_account_number", _S, "account_number bank_account bank_account_number kontonummer"
     " numero_de_cuenta numero_compte numero_de_compte acct_number acct_no account_no"
     " bank_account_no"),
    ("bank_routing_number", _S, "routing_number aba aba_number sort_code bankleitzahl blz"
     " routing wire_routing ifsc ifsc_code institution_number transit_number bsb"),
    ("swift_bic", _S, "swift bic swift_code bic_code swift_bic"),
    ("street_address", _S, "address street street_address strasse rue calle address_line"
     " adresse direccion billing_address shipping_address home_address anschrift addr"
     " street_line address1 address2 address_line1 address_line2 domicilio mailing_address"
     " postal_address residential_address hausanschrift indirizzo straat huisnummer"
     " house_number adres ulica logradouro endereco complemento gatuadress juusho"),
    ("postal_code", _S, "zip zip_code zipcode postal_code postalcode postcode plz postleitzahl"
     " code_postal codigo_postal codice_postale kod_pocztowy cep pincode postnummer"
     " yuubin_bangou"),
    ("geolocation", _S, "lat latitude lng lon longitude geolocation geo coordinates location"
     " breitengrad langengrad laengengrad latitud longitud latitudine longitudine"),
    ("gender", _S, "gender sex geschlecht sexo genero sexe sesso geslacht plec"),
    ("username", _S, "username user_name login login_name screen_name benutzername nickname"
     " nombre_de_usuario nom_utilisateur"),
    ("user_id", _S, "user_id userid customer_id customerid account_id member_id id_client"
     " shopper_reference shopper_id"
     " patient_id employee_id uid subscriber_id person_id profile_id owner_id buyer_id"
     " seller_id author_id creator_id contact_id kunden_id kundennummer customer_number"
     " id_usuario id_cliente codice_cliente klantnummer numero_cliente client_number"
     " customer_ref customer_reference personalnummer personeelsnummer employee_number"),
    ("ip_address", _S, "ip ip_address ipaddress client_ip remote_addr remote_ip source_ip"
     " x_forwarded_for forwarded_for real_ip x_real_ip"),
    ("mac_address", _S, "mac mac_address macaddress"),
    ("imei", _S, "imei"),
    ("advertising_id", _S, "advertising_id idfa gaid aaid ad_id"),
    ("passport_number", _S, "passport passport_number passport_no reisepass passeport"
     " pasaporte passport_no numero_pasaporte"),
    ("drivers_license", _S, "drivers_license driver_license driving_licence driving_license"
     " license_number fuhrerschein permis_de_conduire rijbewijs rijbewijsnummer"
     " fuhrerscheinnummer prawo_jazdy numer_prawa_jazdy numero_prawa_jazdy cnh"
     " carteira_de_motorista licencia_de_conducir patente_di_guida"),
    ("national_id", _S, "national_id national_id_number personalausweis id_card_number dni id_card"
     " identity_card national_id_card carta_identita carta_di_identita"
     " nie curp personal_number personnummer sozialversicherungsnummer sv_nummer"
     " rentenversicherungsnummer"),
    ("tax_id", _S, "tax_id taxid tin vat_number vat_id ein steuernummer steuer_id tax_number"
     " nip"),
    ("medical_record_number", _S, "mrn medical_record_number medical_record"),
    ("health_insurance_number", _S, "insurance_number health_insurance_number member_number"
     " policy_number versichertennummer polisnummer numero_adherent"
     " krankenversichertennummer krankenversicherungsnummer kvnr"),
    ("icd10_code", _S, "icd10 icd_10 icd10_code icd_code diagnosis_code icd10_gm icd10_cm"
     " icd_10_gm icd_10_cm"),
    ("health_condition", _S, "diagnosis medical_condition allergies allergy symptoms diagnose"
     " conditions medical_conditions health_conditions chronic_conditions diagnoses"
     " diagnostico maladie krankheit blood_type blood_group blutgruppe groupe_sanguin"
     " grupo_sanguineo hiv_status"),
    ("medication", _S, "medication medications prescription drug medicament medikament"
     " medikation medicamento farmaco"),
    ("azure_key", _S, "sas_key shared_access_key azure_storage_key storage_account_key"
     " azure_storage_account_key"),
    ("generic_secret", _M, "authorization proxy_authorization token api_token auth credentials"
     " credential"),
    ("bearer_token", _S, "access_token accesstoken auth_token id_token bearer_token"),
    ("generic_secret", _S, "secret client_secret api_key apikey api_secret secret_key"
     " private_token x_api_key app_secret signing_key webhook_secret encryption_key"
     " master_key shared_secret consumer_secret github_token gitlab_token slack_token"
     " stripe_key openai_api_key twilio_auth_token sendgrid_api_key npm_token"),
    ("session_cookie", _S, "session session_id sessionid sid jsessionid phpsessid connect_sid"
     " session_token"),
    ("aws_secret_key", _S, "aws_secret_access_key secret_access_key"),
    ("aws_access_key", _S, "aws_access_key_id access_key_id"),
    ("private_key", _S, "private_key privatekey ssh_key pem"),
    ("connection_string_with_password", _M, "connection_string dsn database_url db_url"),
    ("phone_number", _M, "contact_number home_phone work_phone"),
    ("date_of_birth", _S, "birth_dt dob_date date_naissance"),
    ("credit_card_number", _S, "card_num cc_no credit_card_no"),
    ("bank_account_number", _S, "acct_num bban account_iban_local"),
    ("ip_address", _S, "ipv4 ipv6 ip_v4 ip_v6 ipv4_address ipv6_address"),
    ("medication", _S, "drug_name medication_name rx"),
    ("generic_secret", _S, "access_key secret_token auth_secret"),
    ("session_cookie", _S, "session_cookie session_key session_state"),
    ("drivers_license", _S, "dl_number dl_no licence_number"),
    ("national_id", _M, "id_number personal_id citizen_id identity_number"),
    ("first_name", _S, "middle_name"),
    ("last_name", _S, "maiden_name"),
    ("us_ssn", _S, "social_security_no ssn_number"),
    ("bearer_token", _S, "bearer"),
    ("connection_string_with_password", _M, "jdbc_url mongo_uri mongodb_uri redis_url amqp_url"
     " database_uri db_uri broker_url"),
    ("card_track_data", _S, "track1 track2 track_data track_1 track_2 magstripe"),
    ("health_insurance_number", _S, "insurance_id health_plan_id medicare_number_id"),
    ("username", _S, "login_id"),
    # more languages: Danish, Norwegian, Swedish, Finnish, Czech, Hungarian, Turkish, Romanian,
    # Portuguese, Greek (transliterated and Greek script), Indonesian, Vietnamese (without tones),
    # Korean (romanized and Hangul), some Chinese and Japanese; head-first phrases of languages
    # that put the noun first (`dia_chi_thuong_tru`, `nomor_telepon_rumah`) are in _HEAD_FIRST
    ("first_name", _S, "fornavn etunimi krestni_jmeno keresztnev utonev nama_depan prenume"
     " preferred_name middle_initial initials voorletters patronymo patronymic baba_adi"
     " anne_adi otchestvo givenname mellomnavn mellemnavn"),
    ("last_name", _S, "efternavn etternavn sukunimi soyad soyadi nume_de_familie prijmeni"
     " vezeteknev csaladnev nama_belakang nama_keluarga eponymo epitheto geburtsname"
     " tussenvoegsel seong"),
    ("person_name", _S, "anyja_neve nama_ibu_kandung"),  # a mother's name (Hungary, Indonesia)
    ("person_name", _S, "onomateponymo ho_ten ho_va_ten nama_lengkap ad_soyad adi_soyadi"
     " nume_complet cele_jmeno teljes_nev fullt_navn fulde_navn koko_nimi seongmyeong 성명"
     " 姓名 bank_account_name chu_tai_khoan tenaamstelling kontohaver kontoinnehaver"
     " tilinomistaja hesap_sahibi titular_cont majitel_uctu szamlatulajdonos atas_nama"
     " nama_pemilik yegeumju 예금주"),
    # a professional's name held by the role's own key: {"arzt": "Dr. Anna Weber"}
    ("person_name", _M, "doctor physician arzt laege dyrlaege veterinarian nurse dentist"
     " therapist medico medecin lekar orvos dokter bac_si uisa iatros clinician surgeon"
     " midwife pharmacist psychologist optician optometrist optometrista optometriste optiker"
     " director directora directeur direktor директор signatory signer"
     " caregiver attending_physician lekarz"
     " lekarka laakari doktor hekim tabib daktari 医師 医生 врач лікар طبيب پزشک רופא แพทย์"
     " चिकित्सक"),
    ("date_of_birth", _S, "fodselsdato foedselsdato syntymaaika syntymapaiva dogum_tarihi"
     " data_nasterii datum_narozeni szuletesi_datum szuletesi_ido tanggal_lahir tgl_lahir"
     " ngay_sinh saengnyeonwolil 생년월일 imerominia_gennisis 出生日期 生年月日"),
    ("gender", _S, "kon kjonn sukupuoli cinsiyet pohlavi nem neme jenis_kelamin gioi_tinh"
     " seongbyeol 성별 fylo 性别 性別 gender_code sex_code"),
    ("street_address", _S, "adress osoite katuosoite lahiosoite adresi ev_adresi adresa strada"
     " ulice utca lakcim alamat jalan dia_chi juso 주소 diefthynsi odos gateadresse postadresse"
     " cislo_popisne hazszam husnummer nomor_rumah 地址 住所"),
    ("postal_code", _S, "postnr postinumero posta_kodu cod_postal psc iranyitoszam kode_pos"
     " ma_buu_chinh ma_buu_dien upyeon_beonho 우편번호 tachydromikos_kodikas 邮编 郵便番号"),
    ("phone_number", _S, "mobil mobiltelefon puhelin matkapuhelin puhelinnumero cep_telefonu"
     " telefon_no gsm telefonszam mobilszam nomor_telepon no_telepon nomor_hp no_hp telepon"
     " ponsel so_dien_thoai dien_thoai jeonhwa_beonho jeonhwabeonho jeonhwa hyudaepon 전화번호"
     " 휴대폰"
     " 휴대전화 tilefono kinito telefon_numarasi telefonni_cislo 电话 手机 電話"),
    ("email", _S, "e_post epost sahkoposti e_posta eposta imeil 이메일 邮箱"),
    ("national_id", _S, "cpr cpr_nummer cpr_nr fodselsnummer henkilotunnus hetu tc_kimlik_no"
     " tckn kimlik_no cnp rodne_cislo obcansky_prukaz cislo_op cislo_obcanskeho_prukazu"
     " szemelyi_szam szemelyi_igazolvany_szam nik no_ktp ktp cccd cmnd can_cuoc"
     " jumin_beonho jumin_deungnok_beonho 주민등록번호 amka versicherungsnummer 身份证号"),
    ("tax_id", _S, "ptin afm vkn vergi_no vergi_kimlik_no dic adoszam adoazonosito_jel npwp"
     " ma_so_thue"),
    ("passport_number", _S, "pasnummer passnummer passinumero pasaport pasaport_no"
     " numar_pasaport cislo_pasu utlevelszam paspor nomor_paspor ho_chieu so_ho_chieu"
     " yeogwon_beonho 여권번호 paspoort paspoortnummer diavatirio"),
    ("drivers_license", _S, "korekort forerkort ajokortti ehliyet ehliyet_no"
     " permis_de_conducere permis_conducere ridicsky_prukaz jogositvany bang_lai_xe bang_lai"
     " giay_phep_lai_xe unjeon_myeonheo 운전면허번호 diploma_odigisis"),
    ("bank_account_number", _S, "kontonr tilinumero hesap_no hesap_numarasi cont_bancar"
     " numar_cont cislo_uctu szamlaszam bankszamlaszam nomor_rekening no_rekening rekening"
     " so_tai_khoan gyejwa_beonho 계좌번호 bank_account_details bank_details"),
    ("user_id", _S, "kundenr kundenummer asiakasnumero asiakasnro ugyfelszam ugyfelazonosito"
     " 고객번호 회원번호 principal_id objectidentifier ansattnummer ansattnr medarbejdernummer"
     " tyontekijanumero sicil_no osobni_cislo torzsszam sabeon 사번"),
    ("username", _S, "brugernavn brukernavn anvandarnamn kayttajatunnus kayttajanimi"
     " kullanici_adi nume_utilizator uzivatelske_jmeno felhasznalonev nama_pengguna"
     " ten_dang_nhap upn unique_name"),
    ("password", _S, "pin ip_pin pin_number passcode adgangskode kodeord passord salasana sifre"
     " parola heslo jelszo kata_sandi mat_khau bimilbeonho 비밀번호 requirepass"),
    ("health_condition", _S, "injury injuries lesion lesions lesiones lesao allergier allergiat"
     " alerjiler alergii alergie allergia alergi di_ung diagnoser diagnosen diagnoseis"
     " diagnostice diagnostic diagnoosi tani diagnoza diagnozy diagnozis diagnosa chan_doan"
     " jindan 진단 sykdom sygdom sairaus hastalik boala nemoc betegseg penyakit benh jilbyeong"
     " blodtype blodgruppe veriryhma kan_grubu grupa_sanguina krevni_skupina vercsoport"
     " golongan_darah nhom_mau hyeoraekhyeong"),
    ("medical_record_number", _S, "rekam_medis no_rekam_medis nomor_rekam_medis"),
    ("health_insurance_number", _S, "bpjs no_bpjs nomor_bpjs cislo_pojistence taj taj_szam"),
    ("medication", _S, "medicamente farmaka farmako farmaci laegemiddel medicin legemiddel"
     " medisin lakemedel laake laakkeet laakitys ilac ilaclar leky gyogyszer gyogyszerek obat"
     " thuoc yakpum 약품 dci drastiki_ousia active_ingredient wirkstoff principio_activo"
     " vaccine vaccine_code vaccin vacuna impfstoff medikamente legemidler laegemidler"
     " medication_codeable_concept"),
    # payment cards
    ("credit_card_number", _S, "kortnummer korttinumero kart_numarasi kart_no numar_card"
     " cislo_karty kartyaszam nomor_kartu so_the kadeu_beonho 카드번호 numero_cartao"
     " arithmos_kartas"),
    ("cardholder_name", _S, "kortinnehaver kortindehaver kortholder kortin_haltija kart_sahibi"
     " titular_card drzitel_karty kartyabirtokos nama_pemegang_kartu chu_the titular_cartao"),
    ("card_expiry", _S, "utlopsdato udlobsdato voimassaolo son_kullanma_tarihi data_expirarii"
     " platnost lejarat masa_berlaku ngay_het_han_the yuhyo_gigan 유효기간"),
    ("bank_routing_number", _S, "clearingnummer"),
    ("generic_secret", _S, "refresh_token secret_key_base hmac_key hmac_secret signing_secret"
     " cookie_secret encryption_secret token_secret jwt_secret"),
    ("ip_address", _S, "ipaddr"),
    # more languages, romanized and in their own scripts: Japanese, Chinese, Arabic, Hebrew,
    # Thai, Russian, Ukrainian, Bulgarian, Serbian, Croatian, Bosnian, Slovene, Lithuanian,
    # Latvian, Estonian, Catalan, Swahili, Tagalog, Malay, Hindi, Persian (generic `name`
    # words are in _NAME_WORDS)
    ("first_name", _S, "名 ファーストネーム eesnimi jina_la_kwanza"
     " unang_pangalan nama_pertama nama_depan pehla_naam पहला_नाम الاسم_الأول الاسم_الاول"
     " الإسم_الأول שם_פרטי shem_prati ชื่อจริง ім_я отчество"
     " по_батькові gitnang_pangalan pangalawang_pangalan shita_no_namae"),
    ("last_name", _S, "姓 苗字 myoji myouji 姓氏 xingshi фамилия прізвище презиме"
     " familiya familija prizvyshche prezime priimek pavarde uzvards perekonnanimi perenimi"
     " cognom cognoms primer_cognom segon_cognom jina_la_ukoo jina_la_familia apelyido"
     " upnaam उपनाम اسم_العائلة الاسم_الأخير اسم_الأسرة ism_al_aila laqab اللقب"
     " نام_خانوادگی nam_khanevadegi שם_משפחה shem_mishpacha นามสกุล namsakun nam_sakun"
     " nom_famille nom_de_famille nom_usage nom_d_usage nom_de_naissance nom_patronymique"
     " nom_marital"),
    ("person_name", _S, "氏名 フリガナ ふりがな 全名 xingming xing_ming"
     " фио fio полное_имя ime_i_prezime ime_prezime ime_in_priimek vardas_pavarde"
     " vards_uzvards nom_i_cognoms nom_complet jina_kamili buong_pangalan nama_penuh"
     " poora_naam पूरा_नाम الاسم_الكامل الاسم_الثلاثي نام_کامل نام_و_نام_خانوادگی שם_מלא"
     " shem_male ชื่อเต็ม ชื่อ_นามสกุล szuletesi_nev"),
    ("street_address", _S, "住所 番地 住址 详细地址 詳細地址 家庭住址 dizhi zhuzhi"
     " адрес адреса улица вулиця ulitsa vulytsia adresas gatve adrese iela aadress tanav"
     " adreca carrer anwani mtaa tirahan kalye alamat_rumah पता العنوان عنوان unwan al_unwan"
     " الشارع آدرس نشانی כתובת ktovet רחוב rechov rehov ที่อยู่ thi_yu thiyu rua morada"
     " kozterulet"),
    ("postal_code", _S, "郵便番号 邮政编码 郵遞區號 郵政編碼 youbian youzheng_bianma"
     " почтовый_индекс поштовий_індекс пощенски_код поштански_\u0431\u0440\u043e\u0458"
     " postanski_broj postna_stevilka pasto_kodas pasta_indekss postiindeks codi_postal poskod"
     " पिन_कोड पिनकोड الرمز_البريدي الرمز_البريدى کد_پستی code_posti מיקוד mikud"
     " รหัสไปรษณีย์ rahat_praisani yubin_bango yuubinbangou postal_zone"),
    ("phone_number", _S, "電話番号 携帯電話 携帯番号 携帯 denwa_bango denwabango keitai"
     " keitai_bango 手机号 手机号码 电话号码 联系电话 聯絡電話 手機 手機號碼 shouji shoujihao"
     " dianhua телефон мобильный мобильный_телефон номер_телефона мобилен мобилни"
     " broj_telefona mobitel mobilni telefonska_stevilka telefonas mob_telefonas talrunis"
     " telefons nambari_ya_simu simu telepono numero_ng_telepono selpon"
     " no_telefon nombor_telefon telefon_bimbit फ़ोन फोन मोबाइल मोबाइल_नंबर फोन_नंबर"
     " الهاتف هاتف رقم_الهاتف الجوال جوال رقم_الجوال الموبايل hatif raqm_alhatif jawwal"
     " تلفن شماره_تلفن موبایل شماره_همراه تلفن_همراه shomare_telefon shomare_tamas"
     " טלפון נייד טלפון_נייד מספר_טלפון nayad เบอร์โทร เบอร์โทรศัพท์ โทรศัพท์ มือถือ"
     " thorasap alternate_number alternative_number alt_number secondary_number"
     " callback_number whatsapp whatsapp_number landline 핸드폰 휴대폰번호 연락처"),
    ("email", _S, "メールアドレス メール 电子邮件 电子邮箱 電子郵件 郵箱 youxiang"
     " электронная_почта эл_почта имейл емейл elektronska_posta el_pastas e_pasts correu"
     " correu_electronic barua_pepe emel e_mel ईमेल البريد_الإلكتروني البريد_الالكتروني"
     " الايميل ایمیل پست_الکترونیک דוא_ל אימייל דואר_אלקטרוני อีเมล อีเมล์ 전자우편"),
    ("date_of_birth", _S, "誕生日 tanjoubi tanjobi 生日 chusheng_riqi shengri"
     " дата_рождения дата_народження дата_на_раждане датум_рођења data_rozhdeniya"
     " datum_rodjenja datum_rodenja datum_rojstva gimimo_data dzimsanas_datums sunniaeg"
     " data_naixement data_de_naixement tarehe_ya_kuzaliwa kaarawan petsa_ng_kapanganakan"
     " tarikh_lahir जन्म_तिथि जन्मतिथि janm_tithi janam_tithi تاريخ_الميلاد tarikh_al_milad"
     " tarikh_milad تاریخ_تولد tarikh_tavallod תאריך_לידה taarich_leida วันเกิด"
     " วันเดือนปีเกิด wan_koet birth_year birth_month birth_day year_of_birth month_of_birth"
     " day_of_birth geburtsjahr annee_naissance ano_nacimiento anno_nascita ano_nascimento"),
    ("gender", _S, "seibetsu xingbie пол стать spol lytis dzimums sugu genere jinsia kasarian"
     " jantina लिंग الجنس جنس jins جنسیت jensiyat מין מגדר เพศ phet"),
    ("national_id", _S, "マイナンバー 個人番号 my_number kojin_bango 身份证号码 身份证"
     " 身分證字號 身份證號碼 shenfenzheng shenfenzheng_hao snils снилс egn егн jmbg јмбг"
     " emso oib asmens_kodas personas_kods isikukood kitambulisho nambari_ya_kitambulisho"
     " namba_ya_kitambulisho no_kp no_ic mykad kad_pengenalan nombor_kad_pengenalan"
     " رقم_الهوية الهوية_الوطنية رقم_الهوية_الوطنية الرقم_القومي الرقم_الوطني raqm_al_hawiya"
     " کد_ملی code_melli kod_meli شماره_ملی תעודת_זהות מספר_זהות teudat_zehut mispar_zehut"
     " เลขบัตรประชาชน เลขประจำตัวประชาชน บัตรประชาชน bat_prachachon lek_bat_prachachon"
     " broj_licne_karte osobna_iskaznica licna_karta nisn cartao_de_cidadao cartao_cidadao"
     " documento_identificacao documento_de_identificacao documento_identificacion"
     " documento_de_identidad bilhete_de_identidade carte_d_identite carte_identite"
     " piece_d_identite piece_identite identity_document id_document"),
    ("tax_id", _S, "nif nipc инн inn ntn codigo_fiscal numero_fiscal"),
    ("ca_sin", _S, "numero_assurance_sociale assurance_sociale"),
    ("passport_number", _S, "旅券番号 パスポート番号 护照号 护照号码 護照號碼 huzhao"
     " паспорт номер_паспорта pasport nomer_pasporta broj_pasosa putovnica potni_list"
     " paso_numeris pases_numurs passi_number pasipoti no_pasport رقم_الجواز جواز_السفر"
     " رقم_جواز_السفر jawaz_safar شماره_گذرنامه گذرنامه דרכון מספר_דרכון darkon"
     " หนังสือเดินทาง เลขหนังสือเดินทาง"),
    ("bank_account_number", _S, "口座番号 koza_bango kouza_bangou 银行账号 yinhang_zhanghao"
     " номер_счета nomer_scheta broj_racuna tekuci_racun stevilka_racuna saskaitos_numeris"
     " konta_numurs compte_bancari nambari_ya_akaunti nombor_akaun رقم_الحساب raqm_al_hisab"
     " شماره_حساب מספר_חשבון heshbon_bank"),
    ("credit_card_number", _S, "银行卡号 شماره_کارت shomare_kart"),
    ("password", _S, "パスワード 暗証番号 密码 密碼 mima пароль лозинка lozinka geslo"
     " slaptazodis parool contrasenya nenosiri kata_laluan पासवर्ड كلمة_المرور كلمة_السر"
     " kalimat_al_murur رمز_عبور گذرواژه ramz_obur סיסמה סיסמא sisma รหัสผ่าน rahat_phan"
     " otp otp_code one_time_password one_time_code totp totp_code mfa_code two_factor_code"
     " verification_code sms_code access_code kod_dostepu codigo_acceso codigo_de_acceso"
     " code_acces code_d_acces zugangscode toegangscode pristupovy_kod"),
    ("username", _S, "ユーザー名 用户名 用戶名 логин имя_пользователя korisnicko_ime"
     " uporabnisko_ime vartotojo_vardas lietotajvards kasutajanimi nom_usuari nama_pengguna"
     " nikneim nickname nick nick_name apodo surnom spitzname soprannome apelido takma_ad"
     " prezdivka becenev nama_panggilan biet_danh 닉네임 아이디 никнейм 昵称 ニックネーム"),
    ("user_id", _S, "会員番号 顧客番号 会员编号 客户编号 员工编号 工号 学号 matricule matricola"
     " numero_matricule personnel_number"),
    ("advertising_id", _S, "adid advertising_identifier google_ad_id android_ad_id"),
    ("geolocation", _S, "緯度 経度 纬度 经度 широта долгота shirota dolgota"
     " breddegrad laengdegrad lengdegrad breddgrad langdgrad leveysaste pituusaste enlem"
     " boylam szelesseg hosszusag lintang bujur vi_do kinh_do platos mikos wido gyeongdo 위도"
     " 경도 szerokosc dlugosc zemepisna_sirka zemepisna_delka latitudine"
     " خط_العرض خط_الطول عرض_جغرافیایی طول_جغرافیایی קו_רוחב קו_אורך ละติจูด ลองจิจูด"
     " अक्षांश देशांतर"),
    ("health_condition", _S, "onemocneni choroba choroby ochorenie schorzenie schorzenia"
     " bolest bolesti bolezen dijagnoza alergija alergije диагноз болезнь заболевание"
     " аллергия діагноз хвороба алергія diagnoz zabolevanie diagnoze"
     " diagnoos haigus allergia malaltia ugonjwa magonjwa mzio karamdaman"
     " alahan बीमारी निदान एलर्जी مرض أمراض الأمراض تشخيص التشخيص الحساسية حساسية"
     " بیماری تشخیص حساسیت מחלה מחלות אבחנה אבחון אלרגיה โรค โรคประจำตัว แพ้ยา ประวัติแพ้ยา"
     " 病名 診断 既往歴 病歴 アレルギー 疾病 诊断 病史 过敏 過敏 过敏史 disability disabilities"
     " handicap disabilita discapacidad deficiencia behinderung invalidita"
     " medical_history chief_complaint presenting_complaint presenting_problem"
     " reason_for_referral referral_reason reason_for_admission admission_reason"
     " reason_for_visit visit_reason clinical_notes clinical_summary medical_notes"
     " adverse_reaction adverse_reactions allergic_reaction side_effects"
     " sick_leave_reason sickness_reason sickness"),
    ("medication", _S, "leki lieky lijekovi lekovi zdravila vaistai zales ravimid ravim"
     " лекарства лекарство препарат ліки dawa ubat gamot दवा दवाई دواء أدوية الأدوية"
     " دارو داروها תרופה תרופות ยา ยาที่ใช้ 薬 薬剤 药物 藥物 用药 substancja_czynna"
     " ucinna_latka hatoanyag etken_madde zat_aktif substance_active sostanza_attiva"
     " werkzame_stof virkestof vaikuttava_aine aktiv_substans current_medication"
     " current_medications medications_taken"),
    ("bank_routing_number", _S, "bank_code bankcode kod_banky kod_banku codigo_banco"
     " code_banque codice_banca bankkode bank_kodu cod_banca kode_bank institution_no"
     " transit_no numero_institution numero_transit numero_de_transit"),
    ("session_cookie", _S, "cookie cookies set_cookie"),
    # abbreviated names (Open Dental `LName`, `FName`, `MiddleI`), charts, clinical notes
    ("first_name", _S, "f_name m_name middle_i"),
    ("last_name", _S, "l_name"),
    ("medical_record_number", _S, "chart_number chart_no chart_num mr_number mr_no"
     " medical_record_no medical_record_id"),
    ("health_condition", _S, "medical_note medical_notes med_note med_notes medical_alert"
     " medical_alerts med_alert health_note health_notes medical_info medical_information"
     " disease diseases disease_name illness illnesses disorder disorders"),
    ("user_id", _S, "anonymous_id"),
    ("bearer_token", _S, "oauth_token"),
    ("person_name", _S, "intestatario intestataria"),
    # Latin American tax numbers (Mexico, Peru and Ecuador, Argentina, Colombia, Venezuela, Chile)
    ("tax_id", _S, "rfc ruc cuit cuil nit rif rut"),
    ("masked_card_number", _S, "card_summary"),
    ("geolocation", _S, "geofence"),
    ("phone_number", _S, "telefoon telefoonnummer mobiel mobiel_nummer mobielnummer telefone"
     " telemovel cellulare numero_di_telefono numero_cellulare tel_nr telnr handynr rufnummer"
     " festnetz"),
    # procedures, vaccinations, allergens, mental health
    ("health_condition", _S, "medical_procedure medical_procedures surgical_procedure"
     " surgical_procedures surgical_history surgeries symptom allergen allergens intolerance"
     " intolerances comorbidity comorbidities mental_health psychiatric_history"
     " pregnancy_status"),
    ("medication", _S, "vaccination vaccinations immunization immunizations immunisation"
     " immunisations"),
    # card numbers and security codes in more languages
    ("credit_card_number", _S, "numero_carta numero_do_cartao numer_karty kartya_szam"
     " broj_kartice kortelės_numeris kartes_numurs kaardi_number numero_targeta nambari_ya_kadi"
     " 卡号 卡號 カード番号 رقم_البطاقة מספר_כרטיס หมายเลขบัตร номер_карты номер_картки"),
    ("card_cvv", _S, "codigo_seguridad codigo_de_seguridad code_securite cryptogramme"
     " codice_sicurezza prufnummer kartenprufnummer beveiligingscode"),
    # credentials in configuration files
    ("connection_string_with_password", _M, "mongo_url mongodb_url postgres_url postgresql_url"
     " mysql_url database_connection db_connection db_conn conn_str connection_uri"),
    ("generic_secret", _S, "app_key client_key_data"),
    ("password", _S, "htpasswd"),
    # a street's name and a house's number held apart (`straat`, `huisnummer`)
    ("street_address", _S, "street_name streetname straatnaam strassenname nombre_calle"
     " nome_via house_name house_number_or_name building_number building_name flat_number"
     " apartment_number numero_civico civico numero_casa numero_exterior numero_interior"
     " cislo_domu numer_domu nr_domu numer_mieszkania hazszam hausnr gatan katu"),
    # ISO 20022 (SEPA pain / camt) abbreviated tags: `BICFI`, `PstlAdr.StrtNm`, `PstCd`
    ("swift_bic", _S, "bicfi bic_fi bic_or_bei any_bic"),
    ("street_address", _S, "strt_nm bldg_nb bldg_nm adr_line"),
    ("postal_code", _S, "pst_cd"),
    ("cardholder_name", _S, "cc_owner card_owner"),
    ("phone_number", _S, "wa_id"),  # a WhatsApp id is the telephone number
    # Galician, Catalan, Slovene, Croatian, Serbian, Lithuanian, Latvian, Estonian
    ("last_name", _S, "apelidos"),  # (Portuguese `apelido` alone is also a nickname)
    ("date_of_birth", _S, "data_nacemento data_de_nacemento"),
    ("street_address", _S, "enderezo naslov"),
    ("health_insurance_number", _S, "tarxeta_sanitaria tarjeta_sanitaria targeta_sanitaria"
     " health_card health_card_number zzzs_stevilka stevilka_zzzs mbo broj_osiguranika"
     " broj_police broj_polise numero_poliza numero_de_poliza nambari_ya_bima"),
    ("icd10_code", _S, "mkb mkb_kod sifra_dijagnoze мкб мкб_10 kod_mkb"),
    ("health_condition", _S, "dijagnoze dijagnozi 健康状况 健康狀況 病情 מצב_רפואי"
     " מצב_בריאותי"),
    ("medication", _S, "terapija farmakoterapija farmakoterapia pharmacotherapy"
     " drug_therapy meds current_meds"),
    ("geolocation", _S, "lokacija platuma ilguma platums garums laius pikkus"),
    ("drivers_license", _S, "vairuotojo_pazymejimas vadītāja_apliecība vozacka_dozvola"
     " vozniško_dovoljenje"),
    ("advertising_id", _S, "reklamos_id"),
    ("credit_card_number", _S, "kortele"),  # Lithuanian: the card (often shown masked)
    ("card_expiry", _S, "有効期限 תוקף galiojimas galiojimo_data rok_vazenja"),
    ("masked_card_number", _S, "ספרות_אחרונות"),
    # Thai, Japanese, Ukrainian, Russian, Bulgarian
    ("user_id", _S, "รหัสผู้ใช้ รหัสสมาชิก รหัสลูกค้า"),
    ("street_address", _S, "บ้านเลขที่ หมู่บ้าน ถนน ซอย"),
    ("bank_account_number", _S, "เลขที่บัญชี เลขบัญชี"),
    ("person_name", _S, "ชื่อบัญชี ชื่อ_นามสกุล 氏名ローマ字 氏名カナ 氏名漢字 氏名英字 ローマ字氏名"
     " 英字氏名 カナ氏名 піб пиб"),
    ("last_name", _S, "セイ"),
    ("first_name", _S, "メイ"),
    ("tax_id", _S, "рнокпп іпн ипн kra_pin"),
    ("national_id", _S, "унзр birth_certificate birth_certificate_number"
     " свідоцтво_про_народження свидетельство_\u043e_рождении cheti_cha_kuzaliwa"
     " acta_de_nacimiento certidao_de_nascimento"),
    ("bank_routing_number", _S, "мфо"),
    # transliterated Arabic (`al_ism_al_kamil`), Swahili (`jina_la_kati`)
    ("person_name", _S, "ism_al_kamil ism_kamil"),
    ("postal_code", _S, "ramz_al_baridi ramz_baridi msimbo_wa_posta"),
    ("national_id", _S, "al_bitaqa_al_wataniya bitaqa_wataniya"),
    ("first_name", _S, "jina_la_kati"),
    ("street_address", _S, "anwani_ya_posta"),
    # Slovak, Icelandic, Basque, Welsh, Albanian, Georgian, Armenian, Zulu, Estonian,
    # Macedonian, Azerbaijani and Uzbek (romanized), and address-suffixed e-mail keys
    # (`email_adresa`: an e-mail address, not a street's)
    ("first_name", _S, "krstne_meno fornafn"),
    ("last_name", _S, "priezvisko eftirnafn abizena abizenak cyfenw mbiemri gvari azganun"
     " isibongo"),
    ("email", _S, "email_adresa e_mail_adresa emailova_adresa e_mailova_adresa email_adresi"
     " e_posta_adresi epost_adresse e_post_adresse e_postadresse netfang e_pasta e_posti"
     " sahkopostiosoite posta_elektronikoa ebost imeyl email_cim"),
    ("phone_number", _S, "telefonne_cislo telefoninumber simanumer rhif_ffon numri_telefonit"
     " telefonski_broj nomer_telefona mobile_no mob_no tel_no mobile_num"),
    ("phone_number", _M, "contact_no"),
    ("street_address", _S, "heimilisfang helbidea cyfeiriad misamarti"),
    ("postal_code", _S, "postnumer posta_kodea cod_post kodi_postar pochtovyi_indeks"
     " pochta_indeksi"),
    ("date_of_birth", _S, "datum_narodenia faedingardagur jaiotze_data dyddiad_geni"
     " data_e_lindjes datum_na_ragjanje dogum_tarixi tugilgan_sana tug_ilgan_sana"),
    ("gender", _S, "pohlavie kyn sexua rhyw gjinia"),
    ("national_id", _S, "kennitala cnic nric"),
    ("passport_number", _S, "vegabrefsnumer pasaporte_zenbakia rhif_pasbort"),
    ("bank_account_number", _S, "kontonumber reikningsnumer kontu_zenbakia rhif_cyfrif"
     " numri_i_llogarise"),
    # Bengali, Tamil, Urdu, Greek script, and Indian and Bangladeshi English (`email_id`, `nid`)
    ("phone_number", _S, "মোবাইল ফোন ফোন_নম্বর মোবাইল_নম্বর தொலைபேசி கைபேசி கைபேசி_எண்"
     " موبائل فون فون_نمبر موبائل_نمبر τηλέφωνο κινητό κινητό_τηλέφωνο เบอร์มือถือ"),
    ("street_address", _S, "ঠিকানা முகவரி پتہ διεύθυνση адреса_проживання адрес_проживания"
     " адреса_реєстрації адрес_регистрации"),
    ("date_of_birth", _S, "জন্ম_তারিখ জন্মতারিখ பிறந்த_தேதி تاریخ_پیدائش ημερομηνία_γέννησης"),
    ("email", _S, "ইমেইল மின்னஞ்சல் ای_میل email_id emailid"),
    ("gender", _S, "লিঙ্গ பாலினம் φύλο"),
    ("last_name", _S, "επώνυμο"),
    # health records in more languages: insurance numbers, current medication, chronic and
    # previous conditions, the medical history (anamnesis), ICD-10 codes by their local names
    ("health_insurance_number", _S, "numer_ubezpieczenia cislo_pojisteni cislo_poistenca"
     " numar_asigurare tessera_sanitaria numero_tessera_sanitaria numero_utente"
     " numero_de_utente numero_sns zorgverzekeringsnummer broj_zdravstvenog_osiguranja"
     " zdravstvena_izkaznica ehic ehic_number numero_ehic insurance_card_number policy_no"
     " polis_no nhif_no nhif_number"),
    ("medication", _S, "leki_przyjmowane przyjmowane_leki stosowane_leki medicatie medicatia"
     " medicamente_curente farmaci_in_uso terapia_in_corso medicamentos_actuales"
     " medicacao_atual traitement_en_cours medikamente_aktuell dauermedikation"
     " aktualni_medikace φάρμακα"),
    ("health_condition", _S, "choroby_przewlekle rozpoznanie diagnoza_lekarska nemoci"
     " chronicke_nemoci diagnostic_medical afectiuni boli_cronice kronik_hastaliklar teshis"
     " malattie malattie_croniche patologie enfermedades enfermedades_cronicas doencas"
     " doencas_cronicas maladies maladies_chroniques vorerkrankungen grunderkrankung anamnese"
     " anamneza anamnesis uczulenia alergias allergies_connues allergien"),
    ("icd10_code", _S, "kod_rozpoznania codigo_cie cie mkn mkn_kod bno bno_kod icd10_kodu"),
    # (a bare `nid` is a Drupal node's id)
    ("national_id", _S, "nid_number nid_no জাতীয়_পরিচয়পত্র এনআইডি شناختی_کارڈ"),
    ("in_aadhaar", _S, "आधार आधार_नंबर আধার"),
    # negative context: identifiers, references, hashes, amounts, times; a fraud-screening device
    # session and the AWS account of a call are not a person's
    (IDENTIFIER, 1.0, "id order_id orderid order_number order_no request_id transaction_id ndc"
     " txn_id trace_id span_id correlation_id event_id message_id sku tracking_number"
     " tracking_id invoice_number invoice_id invoice_no reference ref uuid guid hash checksum"
     " sha md5 etag version build timestamp created_at updated_at time date price amount"
     " total quantity qty count serial serial_number isbn ean upc gtin barcode product_id mpn"
     " item_id batch_id shipment_id confirmation_number booking_ref part_number model_number"
     " page offset limit nonce port status code ticket_id page_token next_page_token"
     " continuation_token cursor pagination_token sync_token next_token idempotency_key cart_token"
     " checkout_token device_session_id aws_account_id recipient_account_id"
     # a bot check's response and an object's version token are no credentials
     " captcha captcha_token captcha_response recaptcha recaptcha_token g_recaptcha_response"
     " hcaptcha_token h_captcha_response turnstile_token cf_turnstile_response"
     " version_token msg_id in_reply_to"),
)
# fmt: on
_TABLE_SOURCE += tuple((e.type_id, _S, e.keys) for e in ID_NUMBERS)


def _phrase_tokens(phrase: str) -> tuple[str, ...]:
    """key_tokens of a table phrase; most are written normalised already (`first_name`)."""
    if phrase.isascii() and phrase.islower() and phrase.replace("_", "").isalpha():
        return tuple(phrase.split("_"))
    return key_tokens(phrase)


def _words(text: str) -> frozenset[str]:
    """The words of a word list as key tokens spell them (`고객`, `ลูกค้า` and `ग्राहक` normalised
    like keys), several tokens joined by `_` (`khach_hang`)."""
    return frozenset("_".join(_phrase_tokens(word)) for word in text.split())


def _phrase_table(
    source: tuple[tuple[str, float, str], ...],
) -> dict[tuple[str, ...], KeyContext]:
    """Phrase tokens -> context; the reason names the phrase (never a key)."""
    table: dict[tuple[str, ...], KeyContext] = {}
    for type_id, weight, phrases in source:
        for phrase in phrases.split():
            tokens = _phrase_tokens(phrase)
            table[tokens] = KeyContext(type_id, weight, "key:" + "_".join(tokens))
    return table


_TABLE = _phrase_table(_TABLE_SOURCE)
_MAX_PHRASE = max(len(t) for t in _TABLE)

# plurals (a bare plural key holds a count or a list, not one person)
_PERSON_PLURAL_TEXT = (
    "users customers members patients employees contacts kunder osoby osob personen personas"
    " pessoas persone henkilot kisiler kedvezmenyezettek obmyslene_osoby"
)
# objects whose "name" / "id" member is a person's, in the key table's languages
_PERSON_WORDS = (
    "customer user person contact member employee patient owner client recipient sender buyer"
    " payer payee profile account passenger guest author applicant beneficiary holder kunde"
    " traveler subscriber student users customers members patients employees contacts"
    " claimant insured policyholder taxpayer spouse dependent preparer candidate cardholder"
    " debtor creditor borrower guarantor manager supervisor approver reviewer submitter"
    " technician teacher instructor learner trainee donor volunteer voter citizen resident"
    " landlord organizer attendee speaker player athlete coach respondent interviewee"
    " prospect visitor viewer follower"
    # customers and users
    " kund kunder asiakas musteri cliente klant klient zakaznik zakaznika ugyfel pelanggan"
    " khach_hang gogaek 고객 bruger bruker anvandare kayttaja kullanici usuario utilizador"
    " utente utilisateur utilizator gebruiker uzivatel felhasznalo pengguna nguoi_dung sayongja"
    " 사용자"
    # members, patients, employees and managers
    " mitglied medlem jasen uye socio membro membre membru clen anggota thanh_vien hoewon 회원"
    " paciente paziente potilas hasta pacient pasient beteg pasien benh_nhan hwanja 환자"
    " asthenis mitarbeiter arbeitnehmer medarbejder ansatt anstalld tyontekija calisan empleado"
    " funcionario dipendente salarie angajat werknemer zamestnanec munkavallalo karyawan pegawai"
    " nhan_vien jigwon 직원 leder chef esimies yonetici vedouci vezeto atasan quan_ly"
    # owners, subscribers, applicants, the insured, account holders, payers and debtors
    " besitzer inhaber ejer eier agare omistaja sahip propietario proprietario proprietaire"
    " proprietar eigenaar vlastnik tulajdonos pemilik abonnent tilaaja abone abonado assinante"
    " abbonato abonne abonat abonnee elofizeto kandidaat kandidat hakija aday solicitante"
    " requerente richiedente demandeur solicitant zadatel kerelmezo pemohon versicherter"
    " versicherungsnehmer vakuutettu sigortali asegurado segurado assicurato assure asigurat"
    " verzekerde pojistenec biztositott tertanggung titular titulaire beneficiario beneficiaire"
    " pagador devedor deudor debiteur schuldner favorecido recebedor"
    # persons, tenants and passengers
    " persona personne henkilo kisi persoana osoba szemely orang nguoi mieter huurder inquilino"
    " locataire lejer leietaker vuokralainen kiraci chiriasi najemce berlo penyewa passagier"
    " passager matkustaja yolcu passeggero pasager cestujici utas penumpang hanh_khach"
    f" {_PERSON_PLURAL_TEXT}"
    # customers, users, patients, employees and students in other scripts and languages
    " 用户 用戶 客户 客戶 顧客 会员 會員 会員 患者 员工 員工 社員 従業員 学生 عميل العميل مستخدم"
    " المستخدم مريض المريض موظف الموظف طالب الطالب לקוח משתמש מטופל עובד תלמיד סטודנט ลูกค้า"
    " ผู้ใช้ ผู้ป่วย พนักงาน นักเรียน клиент пользователь пациент сотрудник студент покупатель"
    " клієнт користувач працівник polzovatel patsient sotrudnik korisnik kupac pacijent"
    " zaposlenik zaposleni radnik klientas vartotojas pacientas darbuotojas klients lietotajs"
    " pacients darbinieks kasutaja patsient tootaja usuari pacient treballador alumne mteja"
    " mtumiaji mgonjwa mfanyakazi mwanafunzi kustomer gumagamit pasyente empleyado estudyante"
    " pesakit pekerja pelajar grahak upyogkarta mareez karmachari chhatra ग्राहक उपयोगकर्ता"
    " मरीज़ कर्मचारी छात्र moshtari karbar karmand daneshjoo مشتری کاربر بیمار کارمند دانشجو"
    # students, insured people, beneficiaries, policyholders, heirs
    " student studente estudiante etudiant alumno aluno schuler leerling elev opiskelija"
    " ogrenci uczen zak diak tanulo siswa murid peserta_didik hoc_sinh haksaeng"
    " pojistnik pojisteny ubezpieczony kedvezmenyezett kedvezmenyezettek obmyslena_osoba"
    " obmyslene_osoby beguenstigter bezugsberechtigter"
    # a record of a person's own data: `personal_info`, `datos_personales`, `会員情報`
    " personal_info personal_information personal_details personal_data datos_personales"
    " dados_pessoais donnees_personnelles dati_personali persoonsgegevens personalien"
    " osobni_podaci osebni_podatki ข้อมูลส่วนบุคคล 個人情報 会員情報 个人信息 基本信息"
    " личные_данные особисті_дані מבוטח מבוטח_ראשי"
)
_PERSON_PARENTS = _words(_PERSON_WORDS)
# `<word>_<id word>` / `<id word>_<word>` (`requester_id`, `id_passageiro`, `abone_no`,
# `ma_tai_xe`): a person's identifier for these roles and the person words above (`customer_id`
# and the like are in the table; `client_id` is an OAuth client's, `user_code` a device code)
_PERSON_ID_WORDS = (
    "requester assignee reporter rider driver courier cliente usuario utilisateur utente"
    " gebruiker klant werknemer mitarbeiter besitzer empleado paciente pasajero passageiro"
    " motorista huesped kokyaku tantousha kaiin fahrer chauffeur conductor autista sofer"
    " responder penghantar korisnika"
    " bestuurder kuljettaja surucu pengemudi tai_xe zakaznicke klientske klienta"
)
# abbreviations: `PatNum`, `persId`, `cust_no`, `usr_id`, `staff_no`
_ROLE_ABBREVIATION_TEXT = "pat pers cust usr mbr stud staff"
_ROLE_ABBREVIATIONS = _words(_ROLE_ABBREVIATION_TEXT)
_PERSON_ID_ROLES = (
    _words(_PERSON_ID_WORDS)
    | _ROLE_ABBREVIATIONS
    | (
        _PERSON_PARENTS
        - {
            "client",
            "user",
            "account",
            "profile",
            "holder",
            "author",
            "sender",
            "recipient",
            "contact",
        }
        # a booking's passengers and guests are numbered within it (`passengerId`: "PT1")
        - {"person", "passenger", "traveler", "guest"}
    )
)
# bare keys naming a person's role whose value refers to the person (`"user": 4123889`): roles
# only people fill (not a `driver`, a software's, nor a `creditor`, mostly a business), no
# abbreviations and no plurals (`"employees": 250` is a count)
_PERSON_REFERENCE_TEXT = (
    "user author owner customer member patient employee subscriber guarantor assignee reporter"
    " requester applicant beneficiary policyholder claimant insured taxpayer debtor borrower"
    " student teacher approver reviewer submitter creator buyer spouse manager supervisor"
    " candidate donor volunteer attendee respondent rider cardholder"
    " kunde cliente klant klient kund asiakas musteri zakaznik ugyfel pelanggan khach_hang"
    " paciente paziente potilas hasta pacient pasient beteg pasien benh_nhan mitarbeiter"
    " empleado funcionario dipendente medarbejder ansatt anstalld tyontekija werknemer"
    " zamestnanec karyawan pegawai nhan_vien mitglied socio membro membre medlem jasen uye"
    " anggota thanh_vien usuario utilisateur utente utilizador gebruiker benutzer kullanici"
    " pengguna nguoi_dung"
)
_PERSON_REFERENCE_ROLES = _words(_PERSON_REFERENCE_TEXT)
# words after a field's name that qualify it (`personIdExternal`, `customer_id_legacy`)
_QUALIFIERS = frozenset(
    {"external", "internal", "ext", "global", "legacy", "primary", "unique", "v"}
)
_ID_WORD_TEXT = (
    "id no nr number num numero nummer code kod ma so nomor cislo szam numara numar beonho"
    " arithmos azonosito tunnus uuid guid"
)
_ID_WORDS = _words(_ID_WORD_TEXT)
# relatives named in a person's record: `father_name`, `nama_ayah`, `nik_ibu`, `dni_padre`
_RELATIVE_TEXT = (
    "father mother spouse husband wife guardian son daughter brother sister sibling"
    " grandfather grandmother fiance fiancee vater mutter ehepartner ehemann ehefrau vormund"
    " pere mere epoux epouse conjoint tuteur padre madre esposo esposa conyuge pai mae conjuge"
    " marito moglie coniuge vader moeder echtgenoot echtgenote fader moder aegtefaelle"
    " ektefelle otec matka manzel manzelka apa anya ojciec malzonek ayah ibu suami istri"
    " wali ibu_kandung baba anne abeoji eomeoni baeujaja pateras mitera otets suprug"
    " родител родители родитель батько мати майка баща отец мать"
)
_RELATIVES = _words(_RELATIVE_TEXT)
# professionals acting as such: their work address and telephone are business contact details,
# not personal data (their names still are): `prescriber_phone_number`, `gp.address`
_PROFESSIONAL_TEXT = (
    "doctor physician gp practitioner prescriber provider dentist nurse therapist pharmacist"
    " veterinarian vet lawyer attorney solicitor notary accountant broker realtor arzt"
    " hausarzt tierarzt laege lege lakare laakari doktor hekim medico medecin medic lekar"
    " lekarz orvos dokter bac_si uisa iatros dyrlaege dyrlege veterinar veterinario"
    " veterinaire anwalt rechtsanwalt advocaat abogado avocat avvocato notar notaire notaio"
    " makler makelaar courtier corretor mediatore zprostredkovatel poradce steuerberater"
)
_PROFESSIONALS = _words(_PROFESSIONAL_TEXT)
# objects whose "name" is a person's, but whose "id" is their own record's
_NAMED_TEXT = (
    "billing shipping delivery cardholder shipper consignee cc bcc prescriber physician doctor"
    " practitioner arzt laege lege lakare laakari doktor hekim medico medecin medic lekar orvos"
    " dokter bac_si uisa iatros actor huespedes to counterparty"
    " gegenpartei contraparte contrepartie tegenpartij controparte"
    # ISO 20022 parties: `Cdtr.Nm`, `UltmtDbtr.Nm`; an account's parties (its holders)
    " cdtr dbtr ultmt_cdtr ultmt_dbtr party parties"
)
_NAMED_PARENTS = (
    _PERSON_PARENTS
    | _words(_PERSON_ID_WORDS)
    | _words(_NAMED_TEXT)
    | _RELATIVES
    | (_PROFESSIONALS - {"provider", "broker"})  # (a provider or a broker may be a company)
)
# whose name a `<owner>_name` member is a person's (`user_display_name`, `kunde_navn`)
_NAME_OWNERS = (_PERSON_PARENTS - {"account", "client", "profile", "holder"}) | _RELATIVES
# the pseudo parents `sibling_parent` names: a person's record whose bare `name` is the family
# name (a given-name member beside it) or the given name (a family-name member beside it), and
# the claims of an OpenID Connect or JWT token (`iss` beside `sub` or `aud`)
PERSON_BY_GIVEN = "personbygiven"
PERSON_BY_FAMILY = "personbyfamily"
CLAIMS_SET = "claimsset"
# an object holding a host or an endpoint with a login: a service's account (a database's, a
# registry's, a mail relay's), whose username and name are no person's
SERVICE_ACCOUNT = "serviceaccount"
# an object holding a company registration number: a business, whose name, address and
# telephone are no person's
BUSINESS = "business"
_PSEUDO_PERSONS = frozenset({"person", PERSON_BY_GIVEN, PERSON_BY_FAMILY, CLAIMS_SET})
# generic name members: "name" in the key table's languages; a person's only in a person's
# record (`cliente.nome`), a product's or a shop's elsewhere (`articulos[0].nombre`)
_NAME_WORDS = (
    "name nome nombre nom navn namn nimi naam nama nume isim ad ten jmeno nev onoma imya ireum"
    " 이름 ονομα имя име ime vardas vards jina pangalan shem ism nm 名前 اسم الاسم שם"
    " ชื่อ नाम نام meno izena emri saxeli anun igama"
)
# a person's whole name written in Latin letters beside the one in their own script
_LATIN_NAME_WORDS = (
    "english_name name_in_english name_english latin_name name_latin ชื่อภาษาอังกฤษ שם_באנגלית"
)
_NAME_TABLE = _phrase_table(
    (("person_name", _W, _NAME_WORDS), ("person_name", _W, _LATIN_NAME_WORDS))
)
_LATIN_NAME_REASONS = frozenset(
    ctx.reason for ctx in _phrase_table((("person_name", _W, _LATIN_NAME_WORDS),)).values()
)
_TABLE.update(_NAME_TABLE)
_NAME_PHRASES = frozenset(_NAME_TABLE)
_NAME_REASONS = frozenset(ctx.reason for ctx in _NAME_TABLE.values())
# members naming a record in the walker's sense (their meaning comes from the object around them)
# (and as keys spell them: capitalised, with their accents: `Nombre`, `jméno`, `név`, `tên`)
_NAME_SPELLINGS = (
    "Name NAME Nm nombres nomes Nome Nombre Nom Navn Namn Nimi Naam Nama Nume Isim Ad Ten jméno"
    " Jméno név Név tên Tên όνομα Όνομα Имя Име Ime Vardas vārds Vārds Jina Pangalan ім'я Ім'я"
)
NAME_MEMBERS = frozenset({*_NAME_WORDS.split(), *_NAME_SPELLINGS.split()})
GENERIC_MEMBERS = NAME_MEMBERS | {"id", "number", "no", "holder", "text", "sub"}
# words that are a person's data only inside a person's record or an address: Vietnamese `ho`
# (family name), Italian `cap` and `via`, Hungarian `cim`; the `sub` (subject) of a person's
# record or of token claims
_MEMBER_OF_PERSON: dict[tuple[str, ...], tuple[str, str]] = {
    ("ho",): ("last_name", "ho"),
    ("cap",): ("postal_code", "cap"),
    ("via",): ("street_address", "via"),
    ("cim",): ("street_address", "cim"),
    # Ukrainian, Russian and Bulgarian `індекс`: an address's postal code
    ("індекс",): ("postal_code", "індекс"),
    ("индекс",): ("postal_code", "индекс"),
    ("sub",): ("user_id", "sub"),
    # Microsoft identity claims: the user's object id and passport id
    ("oid",): ("user_id", "oid"),
    ("puid",): ("user_id", "puid"),
}
# places that are not people: a store's or hotel's coordinates are not personal data, nor a
# clinic's, a company's or an office's address and telephone number
_PLACE_WORDS = (
    "store shop restaurant hotel pharmacy merchant branch office warehouse venue depot station"
    " airport outlet tienda restaurante farmacia ristorante negozio vendita filiale geschaft"
    " laden apotheke magasin pharmacie winkel apotheek sklep apteka loja"
    " clinic klinik clinica klinikk klinikka poliklinik hospital krankenhaus sykehus sairaala"
    " hastane hopital ziekenhuis nemocnice korhaz rumah_sakit benh_vien company firma empresa"
    " azienda societe bedrijf yritys sirket spolecnost ceg perusahaan cong_ty hoesa business"
    " organization organisation kontor toimisto ofis oficina escritorio ufficio bureau kantoor"
    " kancelar iroda kantor van_phong centro center centre zentrum keskus merkez gym farmacie"
    " krankenkasse insurer cabinet praxis practice surgery iatreio iatreiou helpdesk desk"
    " support hotline butikk butik kauppa myymala magaza dukkan magazin prodejna obchod bolt"
    " uzlet toko kedai cua_hang maejang 매장 apotek apteekki eczane lekarna gyogyszertar"
    " nha_thuoc yakguk"
    # schools and universities, agencies, labs, chargers
    " school schule scuola escuela ecole escola skole skola koulu okul szkola iskola sekolah"
    " truong hakgyo university universitet universidad universite universita universitas"
    " college campus kindergarten agency agentur agence agencia agenzia laboratory labor"
    " laboratorio charger"
    " chargepoint charge_point charging_station acceptor"
    # in other scripts: shops, companies, hospitals, schools
    " 店舗 会社 病院 学校 公司 医院 学校 门店 商店 شركة مستشفى مدرسة متجر חברה בית_חולים"
    " компания организация больница поликлиника школа магазин аптека"
    # a lab, a doctor's practice, a shop, a restaurant, an employer, a hospital, a call centre
    # (Slovene, Croatian and Serbian, Galician and Catalan, Malay, Swahili, Hebrew)
    " laboratorij laboratorija ordinacija ordinace tenda botiga restoran mwajiri hospitali"
    " zahanati duka מוקד zone zona"
)
_PLACE_PARENTS = _words(_PLACE_WORDS)
# parents whose `uid` is an object's (Kubernetes metadata and owner references), not a user's
_OBJECT_META = frozenset({("metadata",), ("references",)})
# records whose `uid` is their own: network connections and flows (Zeek), files, and the records
# of _RECORD_WORDS (defined below)
_UID_OWNER_TEXT = "conn connection flow file attachment document"
# what a business has as a person would, and that is not personal data there
_PLACE_TYPES = frozenset(
    {
        "geolocation",
        "street_address",
        "postal_code",
        "person_name",
        "first_name",
        "last_name",
        "phone_number",
    }
)
# members that only hold a place's parts: their members belong to the object around them
_PLACE_HOLDER_WORDS = (
    "location position coordinates coords geo geolocation latlng point address addr"
    " ubicacion direccion posizione indirizzo adresse standort adres endereco localizacao"
    " residence residenza residencia domicile domicilio wohnsitz wohnort bydliste morada"
    " coordenadas coordonnees coordinate koordinaten koordinat koordinaty wspolrzedne eneo"
    " адрес адреса"
)
_PLACE_HOLDERS = _words(_PLACE_HOLDER_WORDS)
_CONTACT_TYPES = frozenset({"phone_number", "street_address", "postal_code", "geolocation"})
# animals: a pet's name, birth date and sex are not personal data
_PET_TEXT = (
    "pet pets animal animals dog cat horse puppy kitten haustier tier hund katze pferd mascota"
    " perro gato caballo chien chat cheval animale cane gatto cavallo huisdier dier hond"
    " dyr kaeledyr kjaeledyr djur husdjur katt lemmikki elain koira kissa evcil_hayvan hayvan"
    " kopek kedi zvire mazlicek pes kocka allat haziallat kutya macska hewan anjing kucing"
    " thu_cung zwierze pies kot animal_de_estimacao cachorro"
)
_PETS = _words(_PET_TEXT)
_PET_TYPES = frozenset({"first_name", "last_name", "person_name", "date_of_birth", "gender"})
# accounts of programs, not of people: `serviceAccount`, `bot_user_id`, `system_user`
_MACHINE_WORDS = frozenset({"service", "bot", "robot", "system", "machine", "technical", "daemon"})
# services whose logins configuration files name (`DB_USERNAME`, `SMTP_USER`, `REDIS_USERNAME`)
_SERVICE_TEXT = (
    "db database mysql postgres postgresql pg mariadb mssql oracle redis mongo mongodb smtp mail"
    " imap pop3 ftp sftp ldap rabbitmq amqp kafka elastic elasticsearch registry docker"
)
_SERVICE_WORDS = _words(_SERVICE_TEXT)


def _names_professional(tokens: tuple[str, ...]) -> bool:
    return bool(tokens) and _one_of(tokens[-1], _PROFESSIONALS)


def _business_contact(tokens: tuple[str, ...]) -> bool:
    """`tokens` name a business or a professional: their address is no person's."""
    return _names_place(tokens) or _names_professional(tokens)


@lru_cache(maxsize=4096)
def place_holder_parent(key: str, parent: str) -> str | None:
    """`stores[0].location` -> "stores": the business a location or address member belongs to,
    as the parent for that member's own members (`lat`, `zip`), or None."""
    tokens = key_tokens(key)
    parent_tokens = key_tokens(parent)
    if tokens and tokens[-1] in _PLACE_HOLDERS and _business_contact(parent_tokens):
        return "_".join(parent_tokens)
    return None


# (parent's last token, key phrase) -> type, for keys that are generic alone
_PARENT_TABLE: dict[tuple[str, tuple[str, ...]], tuple[str, float]] = {
    # FHIR HumanName {"text", "family", "given"}: its parts make it a person's name
    ("person", ("text",)): ("person_name", _S),
    ("person", ("family",)): ("last_name", _S),
    ("person", ("given",)): ("first_name", _S),
    ("card", ("number",)): ("credit_card_number", _S),
    ("card", ("no",)): ("credit_card_number", _S),
    ("card", ("holder",)): ("cardholder_name", _S),
    ("card", ("name",)): ("cardholder_name", _S),
    ("card", ("code",)): ("card_cvv", _M),
    ("phone", ("number",)): ("phone_number", _S),
    ("address", ("line",)): ("street_address", _S),
    ("bank", ("number",)): ("bank_account_number", _M),
    ("passport", ("number",)): ("passport_number", _S),
    ("card", ("month",)): ("card_expiry", _S),
    ("card", ("cvv",)): ("card_cvv", _S),
    ("account", ("number",)): ("bank_account_number", _M),
    ("account", ("holder",)): ("person_name", _S),
    # FHIR-style names: {"name": [{"family": "Chalmers", "given": ["Peter", "James"]}]}
    ("name", ("family",)): ("last_name", _S),
    ("name", ("given",)): ("first_name", _S),
    ("ach", ("account",)): ("bank_account_number", _S),
    ("session", ("id",)): ("session_cookie", _S),
    ("adresse", ("ligne",)): ("street_address", _S),
    # a diagnosis object's code and text: {"diagnoses": [{"code": "J45.909", "description": ...}]}
    ("diagnosis", ("code",)): ("icd10_code", _S),
    ("diagnoses", ("code",)): ("icd10_code", _S),
    ("diagnosis", ("description",)): ("health_condition", _S),
    ("diagnoses", ("description",)): ("health_condition", _S),
    ("diagnosis", ("name",)): ("health_condition", _S),
    ("diagnoses", ("name",)): ("health_condition", _S),
    ("diagnosis", ("display",)): ("health_condition", _S),
    # FHIR references to people carry their name as `display`
    ("subject", ("display",)): ("person_name", _S),
    ("patient", ("display",)): ("person_name", _S),
    ("practitioner", ("display",)): ("person_name", _S),
    ("requester", ("display",)): ("person_name", _S),
    ("recorder", ("display",)): ("person_name", _S),
    ("actor", ("display",)): ("person_name", _S),
    ("medication", ("display",)): ("medication", _S),
    ("asserter", ("display",)): ("person_name", _S),
    # (roles that only people fill; a performer, an author or an interpreter may be an
    # organisation, whose reference then names it)
    ("individual", ("display",)): ("person_name", _S),
    ("enterer", ("display",)): ("person_name", _S),
    ("informant", ("display",)): ("person_name", _S),
    ("caregiver", ("display",)): ("person_name", _S),
    ("relatedperson", ("display",)): ("person_name", _S),
    ("person", ("display",)): ("person_name", _S),
    ("practitionerrole", ("display",)): ("person_name", _S),
    # the answer to a security or recovery question is a credential
    ("question", ("answer",)): ("password", _S),
    ("geofence", ("center",)): ("geolocation", _S),
    ("geofence", ("centre",)): ("geolocation", _S),
    # an allergic reaction's description, a diagnostic report's conclusion (FHIR)
    ("reaction", ("description",)): ("health_condition", _S),
    ("diagnosticreport", ("conclusion",)): ("health_condition", _S),
    # why a person was referred, admitted or seen: {"referral": {"reason": ...}}
    ("referral", ("reason",)): ("health_condition", _S),
    ("admission", ("reason",)): ("health_condition", _S),
    ("consultation", ("reason",)): ("health_condition", _S),
    ("consultation", ("motif",)): ("health_condition", _S),
    ("teleconsultation", ("motif",)): ("health_condition", _S),
    ("consulta", ("motivo",)): ("health_condition", _S),
    ("konsultation", ("grund",)): ("health_condition", _S),
}
# objects that are records of their own: an order with a contact email and phone is still an
# order, so its `id` is the order's, whatever its members say (card members still count)
_RECORD_WORDS = (
    "order checkout cart basket invoice transaction payment charge refund shipment booking"
    " reservation subscription ticket message event session product item conversation"
    " comment reply"
)
_RECORD_NOUNS = _words(_RECORD_WORDS)
_UID_OWNERS = _words(_UID_OWNER_TEXT) | _RECORD_NOUNS


def _singular(word: str) -> str | None:
    """`emails` -> `email`, `phones` -> `phone`, `ids` -> `id`; None for a word that is not
    such a plural (`address`, `bus`: too short, or ending in `ss`)."""
    if (len(word) > 3 or word in ("ids", "ips")) and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return None


def _one_of(word: str, nouns: frozenset[str]) -> bool:
    """`word` or its singular (`stores` -> `store`) is one of `nouns`."""
    return word in nouns or _singular(word) in nouns


def _longest_suffix(tokens: tuple[str, ...]) -> KeyContext | None:
    for size in range(min(len(tokens), _MAX_PHRASE), 0, -1):
        hit = _TABLE.get(tokens[-size:])
        if hit is not None:
            return hit
    single = _singular(tokens[-1])
    if single is not None:
        return _longest_suffix((*tokens[:-1], single))  # "emails", "phoneNumbers"
    return None


# head-first phrases: languages that put the noun first name a field by its first words
# (`dia_chi_thuong_tru`, `direccion_envio`, `pin_torno`, `pedido_referencia`); tried when no
# suffix of the key is in the table, and not when a later word says the value is about the field
# (`telefono_tipo`, `direccion_verificada`)
# fmt: off
_HEAD_FIRST_SOURCE: tuple[tuple[str, float, str], ...] = (
    ("street_address", _S, "direccion domicilio endereco indirizzo adresse adresa alamat dia_chi"),
    ("phone_number", _S, "telefono telefone telefon tilefono numero_telefono numero_de_telefono"
     " nomor_telepon nomor_hp no_hp no_telepon so_dien_thoai dien_thoai celular movil"
     " cellulare"),
    ("date_of_birth", _S, "fecha_nacimiento fecha_de_nacimiento data_nascimento"
     " data_de_nascimento data_nascita data_di_nascita date_naissance date_de_naissance"
     " data_nasterii tanggal_lahir ngay_sinh"),
    ("person_name", _S, "nombre_completo nome_completo nama_lengkap ho_ten ho_va_ten"),
    ("bank_account_number", _S, "numero_cuenta numero_de_cuenta numero_conta nomor_rekening"
     " no_rekening so_tai_khoan"),
    ("password", _S, "pin contrasena senha parola sifre heslo mat_khau kata_sandi"),
    ("postal_code", _S, "codigo_postal codice_postale cod_postal kode_pos"),
    ("email", _S, "correo correo_electronico"),
    # Greek (transliterated): `amka_iatrou` (the doctor's AMKA), `tilefono_iatreiou`
    ("national_id", _S, "amka"),
    ("tax_id", _S, "afm"),
    ("street_address", _S, "diefthynsi"),
    # Hebrew and Arabic put the noun first too: `תרופות_קבועות` (regular medications)
    ("medication", _S, "תרופות תרופה أدوية دواء"),
    ("health_condition", _S, "מצב_רפואי מחלות אבחנה"),
    ("street_address", _S, "כתובת عنوان"),
    ("phone_number", _S, "טלפון رقم_الهاتف"),
    (IDENTIFIER, 1.0, "referencia pedido numero_pedido factura fatura numero_factura"),
)
# fmt: on
_HEAD_FIRST = _phrase_table(_HEAD_FIRST_SOURCE)
_MAX_HEAD = max(len(t) for t in _HEAD_FIRST)
_META_TEXT = (
    "type tipo kind id code codigo cod status estado verified verificado verificada valid"
    " valido format formato flag count country pais label etiqueta hash"
)
_META_WORDS = _words(_META_TEXT)


def _head_first(tokens: tuple[str, ...]) -> KeyContext | None:
    if tokens[:1] in _NAME_PHRASES and "_".join(tokens[1:]) in _NAME_OWNERS:
        # nome_cliente, nama_pelanggan, ten_khach_hang: a person's name
        return KeyContext("person_name", _S, f"key:{tokens[0]}_{'_'.join(tokens[1:])}")
    for size in range(min(len(tokens) - 1, _MAX_HEAD), 0, -1):
        hit = _HEAD_FIRST.get(tokens[:size])
        if hit is not None:
            return None if _META_WORDS.intersection(tokens[size:]) else hit
    for size in (1, 2):  # `<field>_<owner>`: nik_ayah, email_cliente, dni_padre, cpf_mae
        if len(tokens) > size and "_".join(tokens[-size:]) in _NAME_OWNERS:
            hit = _TABLE.get(tokens[:-size])
            if hit is not None and not hit.identifier and hit.reason not in _NAME_REASONS:
                return hit
    return None


_GIVEN_FAMILY = frozenset({"first_name", "last_name"})
# words joining a given and a family name in one key (`nome_e_cognome`, `first_and_last_name`)
_JOINERS = frozenset({"and", "und", "et", "e", "y", "i", "ve", "og", "och", "ja", "si", "en"})


def _full_name(tokens: tuple[str, ...], hit: KeyContext) -> KeyContext | None:
    """A given and a family name in one key (`imie_nazwisko`, `vorname_nachname`,
    `name_surname`, `first_last_name`): a full name, else None."""
    phrase = hit.reason[len("key:") :]
    size = phrase.count("_") + 1
    head = tokens[:-size]
    while head and head[-1] in _JOINERS:
        head = head[:-1]
    if not head or "_".join(tokens[-size:]) != phrase:
        return None
    other = _TABLE.get(head) or _TABLE.get((*head, "name"))  # first_last_name
    if other is None or (other.type_id == hit.type_id and other.reason not in _NAME_REASONS):
        return None
    if other.type_id in _GIVEN_FAMILY or other.reason in _NAME_REASONS:
        return KeyContext("person_name", _S, f"{other.reason}_{phrase}")
    return None


def _owned_name(tokens: tuple[str, ...], hit: KeyContext) -> KeyContext | None:
    """A name member qualified by its owner (`user_display_name`, `kunde_navn`): a person's
    name when the owner is a person, a condition's or a drug's when the owner is one
    (`diseaseDefName`), else None (`product_name`, `app_display_name`)."""
    phrase = hit.reason[len("key:") :]
    size = phrase.count("_") + 1
    owner = tokens[-size - 1]
    if owner in _NAME_OWNERS:
        return KeyContext("person_name", _S, f"key:{owner}_{phrase}")
    for word in tokens[:-size]:
        named = _TABLE.get((word,))
        if named is not None and named.type_id in _HEALTH_TYPES and named.reason not in _VAGUE:
            return KeyContext(named.type_id, named.weight, f"{named.reason}_{phrase}")
    return None


# how a name is written, not whose it is: `short_name`, `sortable_name` are a person's in a
# person's record and a product's in a product's
_NAME_STYLES = frozenset(
    {"short", "sortable", "sort", "legal", "common", "formatted", "official", "printed", "known",
     "alternate", "alt", "other", "full", "complete"}
)  # fmt: skip


def _person_id(tokens: tuple[str, ...]) -> KeyContext | None:
    """`requester_id`, `id_passageiro`, `abone_no`, `ma_tai_xe`, `customer_code`: a person's
    identifier, named by a role and an id word in either order."""
    if len(tokens) < 2:
        return None
    if tokens[-1] in _ID_WORDS:
        role, word = "_".join(tokens[:-1]), tokens[-1]
    elif tokens[0] in _ID_WORDS:
        role, word = "_".join(tokens[1:]), tokens[0]
    else:
        return None
    if role not in _PERSON_ID_ROLES:
        return None
    return KeyContext("user_id", _S, f"key:{role}_{word}")  # table words, never the key itself


# network addresses of servers and infrastructure (gateways, resolvers, nodes, a charging
# station's or a build agent's address) are not a person's; a client's, a caller's or a
# subscriber's are
_SERVER_TEXT = (
    "gateway gw dns nameserver nameservers resolver server servers host hosts node nodes nodo"
    " noeud knoten router proxy upstream backend lb balancer loadbalancer vip nat bras sgsn ggsn"
    " pgw sgw mme smsc station agent runner worker cache subnet netmask cidr broadcast interface"
    " nic private internal destination dest dst bind listen local cluster pod container"
    " instance vm machine endpoint egress ingress target terminal kiosk atm printer"
    " mgmt management sending outbound seva"
)
_SERVER_WORDS = _words(_SERVER_TEXT)
# words that alone name a network address's role (`dns`, `gateway`, `cache_host`)
_NETWORK_TEXT = (
    "gateway gw dns nameserver nameservers resolver subnet netmask cidr broadcast router host"
    " hosts upstream nat vip interface nic server servers ntp seva"
)
_NETWORK_WORDS = _words(_NETWORK_TEXT)
_IP_WORDS = frozenset({"ip", "ipv4", "ipv6", "addr"})
# an `address` member named after a server (`destination` is also a parcel's or a trip's)
_HOST_TEXT = "dst dest server host gateway nat vip interface target"
_HOST_WORDS = _words(_HOST_TEXT)
_CLIENT_TEXT = (
    "client remote source src caller user customer visitor browser device forwarded real"
    " subscriber wan sender peer requester shopper buyer consumer member"
)
_CLIENT_WORDS = _words(_CLIENT_TEXT)
_SERVER_ADDRESS = KeyContext(IDENTIFIER, 1.0, "key:server_address")
# a business's tax number is not personal data: `employer_ein`, `company_vat_number`
_BUSINESS_TEXT = (
    "employer arbeitgeber company firm business merchant vendor supplier organization"
    " organisation corporate"
)
_BUSINESS_WORDS = _words(_BUSINESS_TEXT)


def _server_side(
    hit: KeyContext | None, tokens: tuple[str, ...], parent_tokens: tuple[str, ...]
) -> bool:
    """A network address key that names a server or infrastructure: by its words (`dns`,
    `cache_host`, `bras_ip`, `ip_nodo`, `private_ip_address`) or by its parent's (`station.ip`,
    `agent.ip`, `subnet.address`), and no client (`client_ip`, `remote_addr`, `wan_ip`)."""
    if not _CLIENT_WORDS.isdisjoint(tokens):
        return False
    if hit is None:
        return not _NETWORK_WORDS.isdisjoint(tokens) or (
            not _IP_WORDS.isdisjoint(tokens) and not _SERVER_WORDS.isdisjoint(tokens)
        )
    if hit.type_id != "ip_address":  # a bare `address`: a subnet's, an interface's, a server's
        return not _NETWORK_WORDS.isdisjoint(parent_tokens) or not _HOST_WORDS.isdisjoint(tokens)
    if not _SERVER_WORDS.isdisjoint(tokens):
        return True
    return not _SERVER_WORDS.isdisjoint(parent_tokens) and _CLIENT_WORDS.isdisjoint(parent_tokens)


def _names_place(tokens: tuple[str, ...]) -> bool:
    """A word of `tokens`, or all of them (`van_phong`), names a business or a place, and the
    last one names no person (`hotel_guest`, `clinic_patient` are people)."""
    if not tokens or tokens[-1] in _PERSON_PARENTS:
        return False
    return "_".join(tokens) in _PLACE_PARENTS or any(_one_of(t, _PLACE_PARENTS) for t in tokens)


# parent words that name people only alone: `to`, `cc` (recipients), not `reply_to`
_ALONE_ONLY = frozenset({"to", "cc", "bcc"})


def _person_word(tokens: tuple[str, ...], words: frozenset[str]) -> str | None:
    """The word of `words` a parent's last token or all its tokens are (`kunde`, `khach_hang`),
    `person` or `claims` for the pseudo parents, or None."""
    last = tokens[-1]
    if last in _PSEUDO_PERSONS:
        return "claims" if last == CLAIMS_SET else "person"
    if len(tokens) > 1 and (tokens[-2] in _MACHINE_WORDS or tokens[-2] in _BUSINESS_WORDS):
        return None  # serviceAccount, bot_user, business_profile: not a person's
    if last in words and (len(tokens) == 1 or last not in _ALONE_ONLY):
        return last
    joined = "_".join(tokens)
    return joined if len(tokens) > 1 and joined in words else None


@lru_cache(maxsize=16384)
def key_context(key: str | None, parent: str | None = None) -> KeyContext | None:
    """What `key` (inside an object under `parent`, None at the root) says about its value."""
    if not key:
        return None
    tokens = key_tokens(key)
    if not tokens:
        return None
    hit = _longest_suffix(tokens)
    if hit is None and len(tokens) > 1 and tokens[-1] in _QUALIFIERS:
        hit = _longest_suffix(tokens[:-1])  # personIdExternal, smtp_password_v4
    if hit is None or hit.identifier:  # requester_id, id_passageiro, abone_no, customer_code
        hit = _person_id(tokens) or hit
    if hit is None or (len(tokens) > 1 and tokens[-1] in _NAME_OWNERS):
        # dia_chi_thuong_tru, pin_torno, pedido_referencia; fecha_nacimiento_titular is the
        # holder's birth date, not the holder; nik_ayah the father's national id
        hit = _head_first(tokens) or hit
    if (
        hit is not None
        and len(tokens) > 1
        and (hit.type_id in _GIVEN_FAMILY or hit.reason in _NAME_REASONS)
    ):
        hit = _full_name(tokens, hit) or hit  # imie_nazwisko, nachname_vorname
    name = hit is not None and hit.reason in _NAME_REASONS
    if (
        name
        and len(tokens) > hit.reason.count("_") + 1  # type: ignore[union-attr]
        and not (len(tokens) == 2 and tokens[0] in _NAME_STYLES)  # short_name: as `name`
    ):
        # product_name, app_display_name: a thing's; user_display_name, kunde_navn: a person's
        hit, name = _owned_name(tokens, hit), False  # type: ignore[arg-type]
        if hit is None:
            return None  # a thing's name is not typed by its parent either (card.FileName)
    if hit is not None and hit.reason == "key:display_name" and len(tokens) > 2:
        hit = _owned_name(tokens, hit)  # user_display_name; app_display_name is an app's
    if hit is not None and hit.reason == "key:sid" and tokens != ("sid",):
        hit = None  # account_sid, call_sid: a resource's string id (Twilio), not a session
    if hit is not None and hit.reason == "key:login" and tokens[-2:-1] not in _LOGIN_OWNERS:
        hit = None  # console_login, last_login: an event or a time, not a user's login
    parent_tokens = key_tokens(parent) if parent else ()
    if (hit is None or hit.type_id == "ip_address" or hit.reason == "key:address") and (
        _server_side(hit, tokens, parent_tokens)
    ):
        return _SERVER_ADDRESS  # networks.dns[0], station.ip, subnet.address, bras_ip
    if hit is None and len(tokens) == 1 and tokens[0] in _PERSON_REFERENCE_ROLES:
        return KeyContext(PERSON_REFERENCE, _M, f"key:{tokens[0]}")  # "assignee": 1234
    generic = hit is None or name or hit.reason in ("key:id", "key:code")
    if not generic:
        return _in_context(hit, tokens, parent_tokens)  # type: ignore[arg-type]
    if not parent_tokens:
        return None if name else hit  # a bare name at the root needs a person's record around
    return _generic_in_context(hit, tokens, parent_tokens, name)


# the AWS account of a caller (CloudTrail `userIdentity`, API Gateway `requestContext`) is an
# organisation's cloud account, not a person's
_CLOUD_IDENTITIES = frozenset({("user", "identity"), ("request", "context")})
_CLOUD_ACCOUNT = KeyContext(IDENTIFIER, 1.0, "key:cloud_account_id")
_LOGIN_OWNERS = frozenset({(), ("user",), ("account",), ("member",), ("customer",)})
_NO_PHONE = KeyContext(IDENTIFIER, 1.0, "key:business_phone")
_NO_TAX_ID = KeyContext(IDENTIFIER, 1.0, "key:business_tax_id")
_ENCRYPTED = KeyContext(IDENTIFIER, 1.0, "key:encrypted_secret")
# credentials that are useless once encrypted or hashed
_CREDENTIAL_TYPES = frozenset(
    {"password", "generic_secret", "bearer_token", "session_cookie", "aws_secret_key", "azure_key"}
)
_CIPHER_WORDS = frozenset(
    {"encrypted", "enc", "hashed", "hash", "digest", "cipher", "ciphertext", "sealed", "salted"}
)
_ACCOUNT_TYPES = frozenset({"user_id", "username"})
# a bank's own address and telephone (`bank_address`, `bank_phone`)
_BANK_WORDS = frozenset({"bank", "banco", "banque", "banca", "bankn", "bancaria"})
# an address's coarser parts
_AREA_WORDS = frozenset(
    {"city", "town", "state", "province", "region", "country", "county", "district"}
)
# what the last four digits of something other than a card are: an MFA destination's, an SSN's
_NOT_CARD_WORDS = frozenset(
    {"destination", "phone", "mobile", "sms", "msisdn", "ssn", "account", "acct", "bank", "iban",
     "routing", "tax", "ein", "itin", "sin", "national", "passport", "license", "licence"}
)  # fmt: skip
# a member's or subscriber's id is the insurance's number under an insurance's record
_INSURED_IDS = frozenset({"key:member_id", "key:subscriber_id"})
_INSURANCE_TEXT = (
    "insurance coverage insured policy plan eligibility subscriber payer benefit"
    " versicherung seguro assurance assicurazione verzekering forsikring forsakring vakuutus"
    " sigorta pojisteni biztositas asuransi bao_hiem mutuelle krankenkasse"
)
_INSURANCE_WORDS = _words(_INSURANCE_TEXT)


def _qualifiers(tokens: tuple[str, ...], hit: KeyContext) -> tuple[str, ...]:
    """The words of a key beside its table phrase: `office` of `office_address`, `cabinet` of
    `telefon_cabinet` (a head-first phrase)."""
    phrase = hit.reason[len("key:") :]
    size = phrase.count("_") + 1
    return tokens[:-size] if "_".join(tokens[-size:]) == phrase else tokens[size:]


def _in_context(
    hit: KeyContext, tokens: tuple[str, ...], parent_tokens: tuple[str, ...]
) -> KeyContext | None:
    """A key the table names (`email`, `lat`, `uid`), refined by its own words and its parent."""
    last_parent = parent_tokens[-1:]
    type_id = hit.type_id
    qualifiers = _qualifiers(tokens, hit)
    if type_id in _PLACE_TYPES and (_names_place(parent_tokens) or _names_place(qualifiers)):
        # stores[0].lat, ristorante.indirizzo, clinic.phone, office_address: a business's
        # place, name or telephone (its telephone vetoes the number shapes of a person's)
        return _NO_PHONE if type_id == "phone_number" else None
    if type_id in _CONTACT_TYPES and (
        _names_professional(parent_tokens)
        or _names_professional(qualifiers)
        or not _BANK_WORDS.isdisjoint(qualifiers)
    ):
        # gp.address, prescriber_phone_number, bank_address: a professional's or a bank's
        # contact details
        return _NO_PHONE if type_id == "phone_number" else None
    if type_id in _PET_TYPES and not (
        _PETS.isdisjoint(parent_tokens) and _PETS.isdisjoint(qualifiers)
    ):
        return None  # pet.birth_date, dyr.fodselsdato, dog_name: an animal's
    if type_id in _CREDENTIAL_TYPES and not (
        _CIPHER_WORDS.isdisjoint(qualifiers) and _CIPHER_WORDS.isdisjoint(last_parent)
    ):
        return _ENCRYPTED  # encrypted_password, hashed_token, encrypted.npmToken
    if type_id in _ACCOUNT_TYPES and not (
        _MACHINE_WORDS.isdisjoint(qualifiers)
        and _BUSINESS_WORDS.isdisjoint(qualifiers)
        and (hit.type_id != "username" or _SERVICE_WORDS.isdisjoint(qualifiers))
    ):
        # bot_user_id, service_account_id, merchant_account_id; DB_USERNAME, smtp_username: a
        # database's or a mail relay's login
        return None
    if type_id == "username" and last_parent == (SERVICE_ACCOUNT,):
        return None  # a database's, a registry's or a mail relay's login
    if type_id == "street_address" and not _AREA_WORDS.isdisjoint(qualifiers):
        return None  # city_address, state_province_address: a town's or a region's name
    if type_id == "masked_card_number" and not _NOT_CARD_WORDS.isdisjoint(qualifiers):
        return None  # destination_last4, ssn_last4, account_last4: not a card's digits
    if (type_id == "tax_id" or type_id == "national_id") and (
        not (_BUSINESS_WORDS.isdisjoint(tokens) and _BUSINESS_WORDS.isdisjoint(last_parent))
        or _names_place(parent_tokens)
    ):
        # employer_tax_id, company_vat_number, employer.ein, store.nif, clinic.oib: a business's
        return _NO_TAX_ID
    if hit.reason == "key:uid" and (
        last_parent in _OBJECT_META or (last_parent and _one_of(last_parent[0], _UID_OWNERS))
    ):
        # metadata.uid, ownerReferences[0].uid: a Kubernetes object's uid; conn[0].uid,
        # files[0].uid, message.uid: a connection's, a file's or a record's own uid
        return None
    if hit.reason == "key:account_id" and tuple(parent_tokens) in _CLOUD_IDENTITIES:
        return _CLOUD_ACCOUNT  # CloudTrail userIdentity, API Gateway requestContext
    if hit.type_id == "person_name" and last_parent == ("card",):
        # the matched phrase, never the key: a pair's `Name` may be a value
        return KeyContext("cardholder_name", _S, "key:card." + hit.reason[len("key:") :])
    if type_id == "user_id" and last_parent == ("insurance",):
        return KeyContext("health_insurance_number", _S, "key:insurance." + tokens[-1])
    if hit.reason in _INSURED_IDS and last_parent:
        # subscriber.memberId, coverage.subscriberId: the insurance's number for the person
        word = last_parent[0] if last_parent[0] in _INSURANCE_WORDS else _singular(last_parent[0])
        if word in _INSURANCE_WORDS:
            return KeyContext("health_insurance_number", _S, f"key:{word}.{hit.reason[4:]}")
    if hit.identifier and tokens[-1] in ("uuid", "guid") and last_parent:
        word = _person_word(parent_tokens, _PERSON_PARENTS)
        if word is not None:
            return KeyContext("user_id", _S, f"key:{word}.{tokens[-1]}")
    return hit


# members that label the object they are in: a drug's or a diagnosis's name, its description
_LABEL_TEXT = (
    "name display description text title label brand denumire onomasia perigrafi descripcion"
    " descricao descrizione beschreibung bezeichnung omschrijving beskrivelse beskrivning kuvaus"
    " aciklama tanim popis nazev megnevezes leiras deskripsi keterangan mo_ta myeongching 명칭"
    # in more languages, and what an allergy or a drug is made of
    " nazwa naziv nimetus pavadinimas nosaukums opis opys описание опис kirjeldus aprasymas"
    " apraksts descripcio maelezo paglalarawan penerangan 名称 名稱 説明 描述 说明 설명 وصف"
    " توضیحات תיאור คำอธิบาย विवरण substance sustancia substancia sostanza reaction"
    " manifestation"
)
_LABEL_WORDS = _words(_LABEL_TEXT) | {t[0] for t in _NAME_PHRASES}
_HEALTH_TYPES = frozenset({"health_condition", "medication"})
# a diagnosis's code, in the key table's languages
_CODE_TEXT = "code kode kod codigo cod codice kodikos koodi"
_CODE_WORDS = _words(_CODE_TEXT)


def _generic_in_context(
    hit: KeyContext | None, tokens: tuple[str, ...], parent_tokens: tuple[str, ...], name: bool
) -> KeyContext | None:
    """A generic member (`name`, `id`, `number`, `text`, `value`, `sub`) named by its parent."""
    if tokens in _DOCUMENT_NUMBER_KEYS:  # {"drivers_license": {"number": ...}}, id_card.no
        named = _longest_suffix(parent_tokens)
        if named is not None and named.type_id in _DOCUMENT_TYPES:
            phrase = "_".join(tokens)  # one of the table's phrases, never the key itself
            return KeyContext(named.type_id, named.weight, f"{named.reason}.{phrase}")
    last = parent_tokens[-1]
    member = ("name",) if name else tokens[-1:]
    combo = _PARENT_TABLE.get((last, member))
    single = _singular(last) if combo is None else None
    if single is not None:  # phones[0].number
        combo = _PARENT_TABLE.get((single, member))
    if combo is not None:
        return KeyContext(combo[0], combo[1], f"key:{last}.{member[0]}")
    person = _person_word(parent_tokens, _NAMED_PARENTS)
    member_of = _MEMBER_OF_PERSON.get(tokens)  # abone.ho, cliente.cap, indirizzo.via, claims.sub
    if member_of is not None:
        type_id, word = member_of
        # (`indirizzo_consegna.cap`: a head-first address)
        holder = last if last in _PLACE_HOLDERS else parent_tokens[0]
        if last in _PSEUDO_PERSONS or (
            type_id != "user_id" and (person is not None or holder in _PLACE_HOLDERS)
        ):
            return KeyContext(type_id, _S, f"key:{person or holder}.{word}")
    if name and person is not None:
        phrase = hit.reason[len("key:") :]  # type: ignore[union-attr]
        latin = hit.reason in _LATIN_NAME_REASONS  # type: ignore[union-attr]
        if last == PERSON_BY_GIVEN and not latin:  # {"nume", "prenume"}: the family name
            return KeyContext("last_name", _S, f"key:person.{phrase}")
        if last == PERSON_BY_FAMILY and not latin:  # {"nombre", "apellidos"}: the given name
            return KeyContext("first_name", _S, f"key:person.{phrase}")
        return KeyContext("person_name", _S, f"key:{person}.{phrase}")
    if hit is not None and hit.reason == "key:id" and _OTHER_RECORDS.isdisjoint(tokens):
        # a person's record's own id (`id`, `external_id`, `braze_id`), not another record's
        # (`department_id`, `course_id`, `updater_id`)
        person = _person_word(parent_tokens, _PERSON_PARENTS)
        if person is not None:
            return KeyContext("user_id", _S, f"key:{person}.id")
    if len(tokens) == 1 and tokens[0] in _DATE_PARTS:  # dob.year, cardExpiryDate.month
        named = _longest_suffix(parent_tokens)
        if named is not None and named.type_id in _DATED_TYPES:
            return KeyContext(named.type_id, named.weight, f"{named.reason}.{tokens[0]}")
    label = tokens[0] if tokens[0] in _LABEL_WORDS else tokens[-1]
    code = tokens[-1] in _CODE_WORDS
    if label in _LABEL_WORDS or code:  # medicamente[0].denumire, diagnoser[0].kode
        named = _longest_suffix(parent_tokens)
        if named is not None and named.type_id in _HEALTH_TYPES and named.reason not in _VAGUE:
            if not code:
                return KeyContext(named.type_id, named.weight, f"{named.reason}.{label}")
            if named.type_id == "health_condition":
                return KeyContext("icd10_code", named.weight, f"{named.reason}.{tokens[-1]}")
    if name:
        return None  # product.name, file.name: not a person
    if tokens == ("value",):  # {"nhs_number": {"value": ...}}: the parent names the value
        named = _longest_suffix(parent_tokens)
        if named is not None and not named.identifier and named.reason not in _NAME_REASONS:
            if named.type_id == "ip_address" and _server_side(named, parent_tokens, ()):
                return _SERVER_ADDRESS  # {"nat_public_ips": {"value": [...]}}
            return KeyContext(named.type_id, named.weight, named.reason + ".value")
    return hit


# what else a record refers to by id: `<word>_id` in a person's record is not the person's
_OTHER_RECORD_TEXT = (
    "company organization organisation org tenant department dept team group role plan course"
    " class section school location address country region state city store shop project"
    " workspace site campaign list segment template app application job position currency"
    " language locale timezone category type status parent version batch file image photo"
    " document updater modifier editor approver reviewer manager supervisor referrer"
    " referral invite invitation device installation theme color colour icon avatar picture"
    " namespace"
)
_OTHER_RECORDS = _words(_OTHER_RECORD_TEXT) | _RECORD_NOUNS
# the parts of a date whose parent names the date (`dob.year`, `cardExpiryDate.month`)
_DATE_PART_TEXT = (
    "day month year dd mm yy yyyy tag monat jahr jour mois annee dia mes ano giorno mese anno"
    " dag maand jaar maaned ar dzien miesiac rok den mesic nap honap ev gun ay yil hari bulan"
    " tahun ngay thang nam paiva kuukausi vuosi"
)
_DATE_PARTS = _words(_DATE_PART_TEXT)
_DATED_TYPES = frozenset({"date_of_birth", "card_expiry"})


# parent names too vague to name their members' meaning (`conditions` of an offer)
_VAGUE = frozenset({"key:conditions", "key:drug"})


# what an identity document's or identifier's `number` / `value` can be named after
_DOCUMENT_TYPES = frozenset(
    {
        "passport_number",
        "drivers_license",
        "national_id",
        "tax_id",
        "us_ssn",
        "us_itin",
        "uk_nino",
        "medical_record_number",
        "health_insurance_number",
        "uk_nhs_number",
        "us_medicare_mbi",
        "us_npi",
        "es_dni",
        "es_nie",
        "fr_nir",
        "it_codice_fiscale",
        "nl_bsn",
        "pl_pesel",
        "br_cpf",
        "in_aadhaar",
        "ca_sin",
        "de_tax_id",
    }
)
# a document's number, in the languages of the key table: named by its parent or type member
_DOCUMENT_NUMBER_WORDS = (
    "number no nr num numero nummer numer document_number document_no doc_number doc_no"
    " numero_documento numero_de_documento numero_document dokumentnummer dokument_nummer"
    " numer_dokumentu documentnummer so nomor cislo szam numara numar arithmos beonho nro"
    " numeris numurs broj stevilka номер id"
)
_DOCUMENT_NUMBER_KEYS = frozenset(tuple(p.split("_")) for p in _DOCUMENT_NUMBER_WORDS.split())
# members that say what kind of document or identifier their object holds
_TYPE_MEMBERS = (
    "type", "kind", "document_type", "documentType", "doc_type", "id_type", "idType",
    "identifier_type", "identifierType", "identification_type", "identificationType",
    "tipo", "tipo_documento", "tipoDocumento", "tipo_de_documento", "type_document",
    "type_de_document", "typeDocument", "dokumententyp", "dokumenttyp", "documenttype",
    # Dutch, German, Czech and Swedish, Finnish, Turkish, Romanian, Hungarian, Vietnamese,
    # Indonesian, Greek
    "soort", "documentsoort", "art", "typ", "tyyppi", "tur", "turu", "tip", "tipus", "loai",
    "jenis", "eidos",
    # ISO 20022: `{"Id": ..., "SchmeNm": {"Cd": "NIDN"}}` or `{"Prtry": "NIE"}`
    "SchmeNm", "scheme_name", "schemeName",
)  # fmt: skip
_TYPE_MEMBER_SET = frozenset(_TYPE_MEMBERS)
# FHIR identifier types (HL7 v2 table 0203): `{"type": {"coding": [{"code": "MR"}]}, "value"}`
_V2_IDENTIFIER_TYPES = {
    "MR": "mrn", "SS": "ssn", "DL": "drivers_license", "PPN": "passport", "TAX": "tax_id",
    "NI": "national_id", "NPI": "npi", "MB": "member_number", "MC": "medicare_number",
}  # fmt: skip


@lru_cache(maxsize=1024)
def _document_phrase(name: str) -> str | None:
    """`passport`, `DRIVERS_LICENSE` -> the table phrase of a document type, or None."""
    if len(name) > 64:
        return None
    ctx = key_context(name)
    if ctx is None:  # head first: `carta_identita_elettronica`, `passport_biometric`
        tokens = key_tokens(name)
        for size in range(min(len(tokens) - 1, _MAX_PHRASE), 0, -1):
            ctx = _TABLE.get(tokens[:size])
            if ctx is not None:
                break
    if ctx is None or ctx.type_id not in _DOCUMENT_TYPES:
        return None
    return ctx.reason[len("key:") :]


def document_parent(node: Mapping[object, object]) -> str | None:
    """What an object's type member says it holds (`{"type": "passport", "number": ...}`,
    a FHIR identifier's `type.coding[].code` or `type.text`): a parent name for its `number`
    and `value` members (a table phrase, never the member's text), or None."""
    if _TYPE_MEMBER_SET.isdisjoint(node):
        return None
    for member in _TYPE_MEMBERS:
        kind = node.get(member)
        if kind is None:
            continue
        if isinstance(kind, str):
            return _document_phrase(kind)
        if isinstance(kind, dict):
            return _coded_document(kind)
        return None
    return None


# ISO 20022 external person identification codes
_ISO20022_IDENTIFICATIONS = {
    "NIDN": "national_id", "SOSE": "social_security_number", "TXID": "tax_id",
    "DRLC": "drivers_license", "CCPT": "passport", "ARNU": "national_id",
}  # fmt: skip


def _coded_document(kind: Mapping[object, object]) -> str | None:
    code = kind.get("Cd")
    if isinstance(code, str):
        return _ISO20022_IDENTIFICATIONS.get(code)
    proprietary = kind.get("Prtry")
    if isinstance(proprietary, str):
        return _document_phrase(proprietary)
    coding = kind.get("coding")
    if isinstance(coding, list):
        for code in coding[:4]:
            if isinstance(code, dict) and isinstance(code.get("code"), str):
                phrase = _V2_IDENTIFIER_TYPES.get(code["code"])
                if phrase is not None:
                    return phrase
    text = kind.get("text")
    return _document_phrase(text) if isinstance(text, str) else None


_CARD_SIBLINGS = frozenset({"card_expiry", "card_cvv"})
# company registration and business tax numbers (a sole trader's too: their trade's)
_BUSINESS_ID_TEXT = (
    "company_number company_registration_number company_reg_no crn"
    " siret siren kvk kvk_nummer cvr cvr_nummer regon krs ico ic_dph vat_number vat_no vat_id"
    " vatin vat_reg_no abn acn cnpj nipc gstin y_tunnus ytunnus orgnr org_nr"
    " organisasjonsnummer organisationsnummer kbo handelsregisternummer hrb duns lei"
    " ods_code uen cif partita_iva p_iva piva ust_id ust_idnr umsatzsteuer_id btw_nummer"
    " momsnummer mersis_no npwp_perusahaan"
)
_BUSINESS_IDS = frozenset(_phrase_tokens(p) for p in _BUSINESS_ID_TEXT.split())
# what a person's record has and a company's has not
_OWN_PERSON_TYPES = frozenset(
    {"first_name", "last_name", "date_of_birth", "gender", "national_id", "passport_number",
     "drivers_license", "us_ssn"}
) | frozenset(e.type_id for e in ID_NUMBERS if e.category == "personal")  # fmt: skip
# a service's address beside a login: `{"host", "port", "username", "password"}`
_HOST_MEMBER_TEXT = "host hostname endpoint server port registry engine dsn"
_HOST_MEMBERS = frozenset((w,) for w in _HOST_MEMBER_TEXT.split())
_LOGIN_TYPES = frozenset({"username", "password"})


def _spellings(phrases: str) -> frozenset[str]:
    """`vat_number` -> vat_number, VAT_NUMBER, vatNumber, VatNumber, vatnumber."""
    out: set[str] = set()
    for phrase in phrases.split():
        words = phrase.split("_")
        camel = "".join(w.title() for w in words)
        out.update({phrase, phrase.upper(), camel, camel[0].lower() + camel[1:], "".join(words)})
    return frozenset(out)


# members whose presence makes the walker ask `sibling_parent` what the object is
SIBLING_MEMBERS = (
    GENERIC_MEMBERS
    | _spellings(_BUSINESS_ID_TEXT)
    | _spellings(_HOST_MEMBER_TEXT + " match_host")
    | {"ičo", "IČO", "IČ", "iss"}
)

_RECORD_TYPE = re.compile(r"[A-Za-z][A-Za-z_]{1,39}")


def _record_word(kind: str) -> str | None:
    """`Patient`, `profile`, `Contact`: a record's type as a parent name, or None for anything
    else (a type member may hold any text)."""
    return kind.lower() if _RECORD_TYPE.fullmatch(kind) else None


def record_parent(node: Mapping[object, object], key: str | None) -> str | None:
    """What an object says it is, as the parent name of its members, or None:
    a FHIR resource's `resourceType`, a FHIR reference's target (`{"reference": "Patient/12",
    "display"}` -> patient; an `Organization/...`'s display is no person's name), a coded
    concept's code system (`{"coding": [{"system": ".../icd-10"}], "text"}` -> diagnosis), a
    JSON:API resource's `type` (`{"type": "profile", "id", "attributes"}`), a Salesforce record's
    `attributes.type`."""
    kind = node.get("resourceType")
    if type(kind) is str:
        return _record_word(kind)
    reference = node.get("reference")
    if type(reference) is str:  # `Patient/12`, `https://.../Organization/7`: a resource's type
        parts = reference.rsplit("/", 2)
        return _record_word(parts[-2]) if len(parts) > 1 and parts[-2][:1].isupper() else None
    coding = node.get("coding")
    if type(coding) is list and coding and type(coding[0]) is dict:
        system = coding[0].get("system")
        return terminology_parent(system, key) if type(system) is str else None
    attributes = node.get("attributes")
    if attributes is None:
        return None
    kind = node.get("type")
    if type(kind) is str and "id" in node:  # JSON:API
        return _record_word(kind)
    if type(attributes) is dict and type(attributes.get("type")) is str:  # Salesforce
        return _record_word(attributes["type"])
    return None


# what only a person's record holds: contact details, names, birth date, gender, identity numbers
_PERSON_SIBLINGS = frozenset(
    {
        "email",
        "first_name",
        "last_name",
        "phone_number",
        "date_of_birth",
        "street_address",
        "national_id",
        "passport_number",
        "drivers_license",
        "us_ssn",
        "username",
    }
) | frozenset(e.type_id for e in ID_NUMBERS if e.category == "personal")
# what servers and accounts of services have too: a database's `username` and `address`
_WEAK_PERSON_SIBLINGS = frozenset({"username", "street_address"})
# name members that are not the person's own given or family name: a father's name, a middle
# name or initials, a maiden or birth name (`{"name", "vorname", "geburtsname"}`: the family name)
_OTHER_NAME_TEXT = (
    "middle_name middle_initial initials voorletters patronymo patronymic baba_adi anne_adi"
    " otchestvo preferred_name maiden_name geburtsname tussenvoegsel mellomnavn mellemnavn"
    " отчество по_батькові gitnang_pangalan pangalawang_pangalan nom_usage nom_d_usage"
)
_OTHER_NAMES = frozenset("key:" + p for p in _OTHER_NAME_TEXT.split())
_HUMAN_NAME_PARTS = frozenset({"family", "given"})  # FHIR HumanName members

# code systems of coded health data (FHIR `coding`, HL7): the system names what code and display are
# (LOINC names observations and tests, not conditions: a lab test's name is no diagnosis)
_TERMINOLOGIES = (
    ("icd", "diagnosis"), ("snomed", "diagnosis"),
    ("rxnorm", "medication"), ("ndc", "medication"), ("atc", "medication"), ("cvx", "medication"),
    # identifier systems: {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": ...}
    ("nhs", "nhs_number"), ("npi", "npi"), ("ssn", "ssn"), ("mrn", "mrn"), ("mbi", "mbi"),
    # contact points: {"system": "phone", "value": ...} (FHIR ContactPoint)
    ("phone", "phone"), ("sms", "phone"), ("fax", "phone"), ("pager", "phone"),
    ("email", "email"),
)  # fmt: skip


# FHIR extensions whose value is personal data, by the last words of their `url`
_EXTENSIONS = (
    ("birthsex", "gender"), ("genderidentity", "gender"), ("sex", "gender"),
    ("mothersmaidenname", "maiden_name"), ("birthtime", "date_of_birth"),
)  # fmt: skip


@lru_cache(maxsize=1024)
def extension_parent(url: str) -> str | None:
    """`http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex` -> "gender": what a
    FHIR extension's `value[x]` holds, named by its url's last segment, or None."""
    segment = url.rstrip("/").rsplit("/", 1)[-1].lower()
    words = segment.replace("_", "-").split("-")
    for word, parent in _EXTENSIONS:
        if words[-1] == word:
            return parent
    return None


# what a coded value describes when it is not the finding itself: SNOMED also codes body sites,
# routes, methods, severities, encounter types (`bodySite.coding[0]`, `type[0].coding[0]`)
_CODING_FACET_TEXT = (
    "site route method category interpretation specimen unit units status severity priority"
    " relationship language type class role position laterality purpose outcome form"
)
_CODING_FACETS = _words(_CODING_FACET_TEXT)


@lru_cache(maxsize=1024)
def terminology_parent(system: str, holder: str | None = None) -> str | None:
    """`http://hl7.org/fhir/sid/icd-10-cm` -> "diagnosis", `.../rxnorm` -> "medication",
    `.../us-npi` -> "npi": a parent name for the members of a coding object (its `code` and
    `display`) or of an identifier (its `value`), or None; None too when the member holding the
    coding names a facet (`bodySite`, `route`, `type`)."""
    if holder is not None and not _CODING_FACETS.isdisjoint(key_tokens(holder)[-1:]):
        return None
    words = set(re.findall(r"[a-z]+", system.lower()))
    for word, parent in _TERMINOLOGIES:
        if word in words:
            return parent
    return None


def names_a_value(kind: str) -> bool:
    """A type member's text names what a sibling `value` holds (`password`, `mobile`, `email`),
    not only its format (`string`, `date`, `name`)."""
    ctx = key_context(kind)
    return ctx is not None and not ctx.identifier and ctx.reason not in _NAME_REASONS


def names_record(key: str | None) -> bool:
    """`key` names a record of its own by its last word (`order`, `line_items`; not
    `payment_method`)."""
    tokens = key_tokens(key) if key else ()
    if not tokens:
        return False
    return _one_of(tokens[-1], _RECORD_NOUNS)


def _names_document(key: str | None) -> bool:
    ctx = key_context(key) if key else None
    return ctx is not None and ctx.type_id in _DOCUMENT_TYPES


def sibling_parent(node: Mapping[object, object], own_key: str | None = None) -> str | None:
    """What the other members make an object, as a parent name for its generic members
    (`number`, `name`, `id`, `sub`), or None:
    - `card` next to an expiry or a security code (unless the object's own key names an identity
      document: a driving licence's `{"number", "expiration"}`);
    - token claims (CLAIMS_SET) next to `iss` and `sub` or `aud`;
    - a person's record next to a given name but no family name (PERSON_BY_GIVEN: its `name` is
      the family name), next to a family name but no given name (PERSON_BY_FAMILY), or next to
      two of email, names, phone, birth date, address, username, identity numbers, one of them
      more than a username or an address (`person`),
      unless the object's own key names another record (`order`), a business or a professional;
    - a service's account (SERVICE_ACCOUNT) next to a host, port or endpoint and a login;
    - a business (BUSINESS) next to a company registration number and nothing only a person's
      record holds (names, birth date, identity numbers)."""
    if "iss" in node and ("sub" in node or "aud" in node):
        return CLAIMS_SET
    card = person = strong = own = 0
    given = family = host = login = registered = False
    for key in node:
        if not isinstance(key, str) or key in GENERIC_MEMBERS:
            continue
        if key in _HUMAN_NAME_PARTS:  # FHIR HumanName: {"text", "family", "given"}
            person += 1
            strong += 1
            continue
        tokens = key_tokens(key)
        if tokens in _BUSINESS_IDS:
            registered = True
            continue
        if tokens[-1:] in _HOST_MEMBERS:
            host = True
            continue
        ctx = key_context(key)
        if ctx is None:
            continue
        type_id = ctx.type_id
        login = login or type_id in _LOGIN_TYPES
        own += type_id in _OWN_PERSON_TYPES
        if type_id in _CARD_SIBLINGS:
            card += 1
        elif type_id in _PERSON_SIBLINGS:
            person += 1
            strong += type_id not in _WEAK_PERSON_SIBLINGS
            if ctx.reason not in _OTHER_NAMES:
                given = given or type_id == "first_name"
                family = family or type_id == "last_name"
    if card:
        return None if _names_document(own_key) else "card"
    if host and login:
        return SERVICE_ACCOUNT  # {"host", "port", "username", "password"}
    if names_record(own_key) or (own_key is not None and _business_contact(key_tokens(own_key))):
        return None  # an order's, a shop's or a pharmacist's contact details
    if registered and not own:
        return BUSINESS  # {"name", "address", "phone", "vat_number"}: a company's
    if given != family:
        return PERSON_BY_GIVEN if given else PERSON_BY_FAMILY
    return "person" if person >= 2 and strong else None
